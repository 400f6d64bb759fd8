//! The set of a document's distinct short word forms, each one number (see
//! `index::short_form`). Every word of every text goes through it once, so it is kept
//! as simple as it can be: one array of numbers, a slot found by one multiplication,
//! and the next slot tried after a taken one. hashbrown's set took 64 instructions a
//! word for its hashing and bookkeeping (6% of a build's); this takes about 21.

/// A set of nonzero numbers: zero marks a free slot (no form is zero: letters and
/// digits are never zero bytes).
pub struct FormSet {
    /// A power of two in length, at most half of them taken.
    slots: Vec<u128>,
    len: usize,
}

impl FormSet {
    /// An empty set with room for `capacity` forms before it grows.
    pub fn with_capacity(capacity: usize) -> FormSet {
        FormSet {
            slots: vec![0; (2 * capacity).next_power_of_two().max(16)],
            len: 0,
        }
    }

    /// Adds `form`, which is not zero; whether it was not in the set yet.
    #[inline(always)]
    pub fn insert(&mut self, form: u128) -> bool {
        debug_assert_ne!(form, 0, "zero marks a free slot");
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = slot_of(form, mask);
        loop {
            match self.slots[at] {
                0 => break,
                taken if taken == form => return false,
                _ => at = (at + 1) & mask,
            }
        }
        self.slots[at] = form;
        self.len += 1;
        true
    }

    /// Doubles the slots and puts every form in its place among them.
    #[cold]
    fn grow(&mut self) {
        let doubled = vec![0; 2 * self.slots.len()];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for form in old.into_iter().filter(|&form| form != 0) {
            let mut at = slot_of(form, mask);
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = form;
        }
    }
}

/// Where among `mask + 1` slots to look for `form` first: its two halves folded into
/// one, multiplied by an odd constant into 128 bits, and the halves of the product
/// folded again, so that every byte of the form moves every bit of the slot.
#[inline(always)]
fn slot_of(form: u128, mask: usize) -> usize {
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let folded = (form as u64) ^ ((form >> 64) as u64).rotate_left(32);
    let product = u128::from(folded) * u128::from(MIX);
    ((product as u64) ^ ((product >> 64) as u64)) as usize & mask
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn answers_as_a_hash_set_does(
            forms in vec(prop_oneof![1u128..40, 1u128.., (1u64..).prop_map(|f| u128::from(f) << 64)], 0..300),
            capacity in 0usize..40,
        ) {
            let mut set = FormSet::with_capacity(capacity);
            let mut expected = HashSet::new();
            for form in forms {
                prop_assert_eq!(set.insert(form), expected.insert(form), "{}", form);
            }
            prop_assert_eq!(set.len, expected.len());
        }
    }

    #[test]
    fn forms_that_differ_in_one_byte_spread_over_the_slots() {
        // "a" to "z" and "aa" to "zz", as one number each: a text's short words.
        let words: Vec<u128> = (b'a'..=b'z')
            .flat_map(|a| (b'a'..=b'z').map(move |b| u128::from(a) | u128::from(b) << 8))
            .chain((b'a'..=b'z').map(u128::from))
            .collect();
        let mask = 1023;
        let used: HashSet<usize> = words.iter().map(|&w| slot_of(w, mask)).collect();
        // 702 forms into 1,024 slots: a random spread would use about 510.
        assert!(used.len() > 450, "{} slots used", used.len());
    }
}
