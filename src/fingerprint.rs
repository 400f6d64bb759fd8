//! 128-bit fingerprints of a stage's inputs, for the caches of `quorum serve`: a cached
//! result is reused only when the fingerprint of everything it was made from is equal.
//! At 128 bits (XXH3) two different inputs meeting by chance is not a concern; nobody
//! gains from making two inputs meet on purpose, which only a cryptographic hash
//! would prevent.
//!
//! Values are fingerprinted through serde with an encoding of their own: every value is
//! tagged with its type, strings and byte strings carry their length, and every sequence,
//! map and struct ends with a marker, so no two different values of a type encode alike.
//! It hashes strings as they are, where JSON would first escape every quote of a page body.
//!
//! The encoder says it is not human-readable. That lets a value that is large and part of
//! many fingerprints stand in them for its own fingerprint, worked out once, while
//! templates and JSON see the value itself: see [`Memoized`].

use std::cell::Cell;
use std::hash::Hasher;
use std::ops::Deref;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde::ser;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// The fingerprint of some input.
pub type Fingerprint = u128;

/// The fingerprint of a value.
pub fn of(value: &(impl Serialize + ?Sized)) -> Fingerprint {
    // The encoding is written into a buffer and hashed at once: hashing it as it is
    // written, a tag or a length at a time, cost more than the hashing itself. Each
    // thread keeps its buffer (taken out while in use, so a nested call gets its own).
    thread_local! {
        static BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    }
    let mut buffer = Buffer(BUFFER.take());
    buffer.0.clear();
    let print = match value.serialize(Encoder(&mut buffer)) {
        Ok(()) => xxh3_128(&buffer.0),
        // A value that refuses to be serialised: a fingerprint that matches nothing.
        Err(Refused) => unique(),
    };
    // A page's inputs take some kilobytes; an unusually large value's room is not kept.
    if buffer.0.capacity() <= 1 << 20 {
        BUFFER.set(buffer.0);
    }
    print
}

/// A value that many fingerprints take in, such as an item's card, which every list
/// showing the item fingerprints: in a fingerprint it stands for its own fingerprint,
/// worked out the first time; any other serializer sees the value itself. It cannot be
/// changed once made, so that fingerprint stays true.
#[derive(Debug, Clone, Default)]
pub struct Memoized<T> {
    value: T,
    print: OnceLock<Fingerprint>,
}

impl<T: Serialize> Memoized<T> {
    pub fn new(value: T) -> Memoized<T> {
        Memoized {
            value,
            print: OnceLock::new(),
        }
    }

    /// The fingerprint of the value.
    pub fn print(&self) -> Fingerprint {
        *self.print.get_or_init(|| of(&self.value))
    }
}

impl<T> Deref for Memoized<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Memoized<T> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        value_or_print(serializer, &self.value, || self.print())
    }
}

/// Serialises `value`, or for the fingerprint encoder `print()` in its stead: how a value
/// whose fingerprint is kept stands for it (see [`Memoized`]).
pub fn value_or_print<S: ser::Serializer, T: Serialize + ?Sized>(
    serializer: S,
    value: &T,
    print: impl FnOnce() -> Fingerprint,
) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() {
        value.serialize(serializer)
    } else {
        serializer.serialize_newtype_struct("Print", &print())
    }
}

/// The encoding of a value being written (see [`of`]).
struct Buffer(Vec<u8>);

impl Hasher for Buffer {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        unreachable!("the buffer is hashed whole by `of`")
    }
}

/// The fingerprint of a text.
pub fn of_text(text: &str) -> Fingerprint {
    let mut hasher = Xxh3::new();
    hasher.write(text.as_bytes());
    hasher.digest128()
}

/// A fingerprint that no other call returns in this process.
fn unique() -> Fingerprint {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = Xxh3::with_seed(0x7175_6f72_756d);
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.digest128()
}

/// The error of a `Serialize` implementation that gave up.
#[derive(Debug)]
pub struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value cannot be fingerprinted")
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: std::fmt::Display>(_: T) -> Refused {
        Refused
    }
}

/// Type tags, written before each value.
mod tag {
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const UINT: u8 = 3;
    pub const FLOAT: u8 = 4;
    pub const CHAR: u8 = 5;
    pub const STR: u8 = 6;
    pub const BYTES: u8 = 7;
    pub const NONE: u8 = 8;
    pub const SOME: u8 = 9;
    pub const UNIT: u8 = 10;
    pub const VARIANT: u8 = 11;
    pub const NEWTYPE: u8 = 12;
    pub const COMPOUND: u8 = 13;
    pub const END: u8 = 14;
}

/// Writes values into a buffer.
struct Encoder<'a>(&'a mut Buffer);

impl<'a> Encoder<'a> {
    fn tagged(self, tag: u8, bytes: &[u8]) -> Result<(), Refused> {
        self.0.write_u8(tag);
        self.0.write(bytes);
        Ok(())
    }

    fn text(self, tag: u8, bytes: &[u8]) -> Result<(), Refused> {
        self.0.write_u8(tag);
        self.0.write_u64(bytes.len() as u64);
        self.0.write(bytes);
        Ok(())
    }

    fn compound(self, name: &str) -> Result<Compound<'a>, Refused> {
        self.0.write_u8(tag::COMPOUND);
        self.0.write_u64(name.len() as u64);
        self.0.write(name.as_bytes());
        Ok(Compound(self.0))
    }
}

/// A sequence, tuple, map or struct being written; ends with [`tag::END`].
struct Compound<'a>(&'a mut Buffer);

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        value.serialize(Encoder(self.0))
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Refused> {
        Encoder(self.0).text(tag::STR, key.as_bytes())?;
        value.serialize(Encoder(self.0))
    }

    fn finish(self) -> Result<(), Refused> {
        self.0.write_u8(tag::END);
        Ok(())
    }
}

impl<'a> ser::Serializer for Encoder<'a> {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    /// See [`value_or_print`].
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Result<(), Refused> {
        self.tagged(tag::BOOL, &[u8::from(v)])
    }
    fn serialize_i8(self, v: i8) -> Result<(), Refused> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Refused> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Refused> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Refused> {
        self.tagged(tag::INT, &i128::from(v).to_le_bytes())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Refused> {
        self.tagged(tag::INT, &v.to_le_bytes())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Refused> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Refused> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Refused> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Refused> {
        self.tagged(tag::UINT, &u128::from(v).to_le_bytes())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Refused> {
        self.tagged(tag::UINT, &v.to_le_bytes())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Refused> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Refused> {
        self.tagged(tag::FLOAT, &v.to_bits().to_le_bytes())
    }
    fn serialize_char(self, v: char) -> Result<(), Refused> {
        self.tagged(tag::CHAR, &u32::from(v).to_le_bytes())
    }
    fn serialize_str(self, v: &str) -> Result<(), Refused> {
        self.text(tag::STR, v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Refused> {
        self.text(tag::BYTES, v)
    }
    fn serialize_none(self) -> Result<(), Refused> {
        self.tagged(tag::NONE, &[])
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Refused> {
        self.0.write_u8(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Refused> {
        self.tagged(tag::UNIT, &[])
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Refused> {
        self.text(tag::UNIT, name.as_bytes())
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Refused> {
        self.0.write_u8(tag::VARIANT);
        Encoder(self.0).text(tag::STR, name.as_bytes())?;
        self.text(tag::STR, variant.as_bytes())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        self.0.write_u8(tag::NEWTYPE);
        Encoder(self.0).text(tag::STR, name.as_bytes())?;
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        self.0.write_u8(tag::VARIANT);
        Encoder(self.0).text(tag::STR, name.as_bytes())?;
        Encoder(self.0).text(tag::STR, variant.as_bytes())?;
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Refused> {
        self.compound("seq")
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, Refused> {
        self.compound("tuple")
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Refused> {
        self.compound(name)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Refused> {
        self.0.write_u8(tag::VARIANT);
        Encoder(self.0).text(tag::STR, name.as_bytes())?;
        self.compound(variant)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Refused> {
        self.compound("map")
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'a>, Refused> {
        self.compound(name)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Refused> {
        self.0.write_u8(tag::VARIANT);
        Encoder(self.0).text(tag::STR, name.as_bytes())?;
        self.compound(variant)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.element(value)
    }
    fn end(self) -> Result<(), Refused> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.element(value)
    }
    fn end(self) -> Result<(), Refused> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.element(value)
    }
    fn end(self) -> Result<(), Refused> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.element(value)
    }
    fn end(self) -> Result<(), Refused> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Refused> {
        self.element(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.element(value)
    }
    fn end(self) -> Result<(), Refused> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Refused> {
        // A skipped field differs from a present one.
        Encoder(self.0).text(tag::NONE, key.as_bytes())
    }
    fn end(self) -> Result<(), Refused> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Refused> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Clone)]
    struct Page<'a> {
        title: &'a str,
        body: Option<&'a str>,
        tags: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        feed: Option<&'a str>,
    }

    fn page<'a>(title: &'a str, body: Option<&'a str>, tags: Vec<&'a str>) -> Page<'a> {
        Page {
            title,
            body,
            tags,
            feed: None,
        }
    }

    #[test]
    fn equal_values_agree_and_different_ones_differ() {
        assert_eq!(of(&("a", 1)), of(&("a", 1)));
        assert_ne!(of(&("a", 1)), of(&("a", 2)));
        assert_ne!(of(&("a", 1u8)), of(&("a", 1i8)));
        // Lengths keep boundaries: ("ab", "c") is not ("a", "bc").
        assert_ne!(of(&("ab", "c")), of(&("a", "bc")));
        // End markers keep nesting: [["a"], []] is not [[], ["a"]].
        let (a, b): (Vec<Vec<&str>>, Vec<Vec<&str>>) =
            (vec![vec!["a"], vec![]], vec![vec![], vec!["a"]]);
        assert_ne!(of(&a), of(&b));
        assert_ne!(of(&None::<&str>), of(&Some("")));
        let p = page("Verslag", Some("<p>\"tekst\"</p>"), vec!["wmo"]);
        assert_eq!(
            of(&p),
            of(&page("Verslag", Some("<p>\"tekst\"</p>"), vec!["wmo"]))
        );
        assert_ne!(
            of(&p),
            of(&page("Verslag", Some("<p>\"tekst\" </p>"), vec!["wmo"]))
        );
        assert_ne!(of(&p), of(&page("Verslag", None, vec!["wmo"])));
        assert_ne!(
            of(&p),
            of(&Page {
                feed: Some("x"),
                ..page("Verslag", Some("<p>\"tekst\"</p>"), vec!["wmo"])
            })
        );
        assert_eq!(of_text("tekst"), of_text("tekst"));
        assert_ne!(of_text("tekst"), of_text("tekst "));
    }

    #[test]
    fn a_memoized_value_is_itself_but_in_fingerprints() {
        let card = Memoized::new(page("Verslag", Some("<p>tekst</p>"), vec!["wmo"]));
        assert_eq!(
            serde_json::to_string(&card).unwrap(),
            serde_json::to_string(&*card).unwrap()
        );
        assert_eq!(card.print(), of(&*card));
        assert_eq!(of(&[&card]), of(&[&card.clone()]));
        let other = Memoized::new(page("Verslag", Some("<p>tekst.</p>"), vec!["wmo"]));
        assert_ne!(of(&[&card]), of(&[&other]));
        // The stand-in is not the value's encoding: a plain value never matches it.
        assert_ne!(of(&[&card]), of(&[&*card]));
    }

    #[test]
    fn a_value_that_refuses_matches_nothing() {
        struct Stubborn;
        impl Serialize for Stubborn {
            fn serialize<S: ser::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("no"))
            }
        }
        assert_ne!(of(&Stubborn), of(&Stubborn));
    }
}
