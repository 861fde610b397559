/// A nonnegative decimal number as its significant digits and the position of the decimal point:
/// value = 0.d₁d₂…dₙ × 10^point. Digits are 0...9 with no leading or trailing zeros; zero has no
/// digits (and point 1, where Python's digit generator puts it).
///
/// Python formats floats from the exact value of the binary double, correctly rounded (half to
/// even on exact ties), and `repr` from the shortest digits that read back as the same double.
/// Both come from here: the exact expansion by big-integer arithmetic, then rounding on digits.
struct DecimalDigits: Equatable, Sendable {
    var digits: [UInt8]
    var point: Int

    static let zero = DecimalDigits(digits: [], point: 1)

    var isZero: Bool { digits.isEmpty }

    /// Drops trailing zeros (and gives zero its canonical point).
    init(digits: [UInt8], point: Int) {
        var digits = digits
        while let last = digits.last, last == 0 { digits.removeLast() }
        var point = point
        if let first = digits.firstIndex(where: { $0 != 0 }) {
            point -= first
            digits.removeFirst(first)
        } else {
            point = 1
        }
        self.digits = digits
        self.point = digits.isEmpty ? 1 : point
    }

    /// The exact value of `mantissa` · 2^`exponent`.
    init(mantissa: UInt64, binaryExponent exponent: Int) {
        var number = BigNatural(mantissa)
        if exponent >= 0 {
            number.shiftLeft(exponent)
            let text = number.decimalDigits()
            self.init(digits: text, point: text.count)
        } else {
            // m · 2^-k = m · 5^k / 10^k.
            var remaining = -exponent
            while remaining >= 13 {
                number.multiply(by: 1_220_703_125)  // 5^13, the largest power of 5 below 2^32
                remaining -= 13
            }
            var power: UInt32 = 1
            for _ in 0..<remaining { power *= 5 }
            number.multiply(by: power)
            let text = number.decimalDigits()
            self.init(digits: text, point: text.count + exponent)
        }
    }

    /// The exact value of a finite double's magnitude.
    init(exactly value: Double) {
        let (mantissa, exponent) = value.binaryParts
        self.init(mantissa: mantissa, binaryExponent: exponent)
    }

    /// Rounded, half to even, to the first `kept` digits; `kept` counts from the first digit and may
    /// be zero or negative (a rounding position left of it).
    func rounded(keeping kept: Int) -> DecimalDigits {
        guard kept < digits.count else { return self }
        if kept < 0 { return .zero }
        if kept == 0 {
            // The value is 0.d… of the rounding unit: up only above one half (a tie goes to 0, even).
            let above = digits[0] > 5 || (digits[0] == 5 && digits.count > 1)
            return above ? DecimalDigits(digits: [1], point: point + 1) : .zero
        }
        let dropped = digits[kept]
        let tail = digits.count > kept + 1
        let up = dropped > 5 || (dropped == 5 && (tail || digits[kept - 1] % 2 == 1))
        let prefix = DecimalDigits(digits: Array(digits[..<kept]), point: point)
        return up ? prefix.incremented(at: kept) : prefix
    }

    /// Adds one unit at digit position `position` (1 is the first digit's place).
    func incremented(at position: Int) -> DecimalDigits {
        var result = digits + Array(repeating: 0, count: max(0, position - digits.count))
        result.removeLast(result.count - position)
        var index = position - 1
        while index >= 0 {
            if result[index] < 9 {
                result[index] += 1
                return DecimalDigits(digits: result, point: point)
            }
            result[index] = 0
            index -= 1
        }
        return DecimalDigits(digits: [1] + result, point: point + 1)
    }

    /// The first `kept` digits (truncated toward zero).
    func truncated(keeping kept: Int) -> DecimalDigits {
        kept >= digits.count ? self : DecimalDigits(digits: Array(digits[..<max(kept, 0)]), point: point)
    }

    /// Orders nonnegative values.
    static func compare(_ a: DecimalDigits, _ b: DecimalDigits) -> Int {
        if a.isZero || b.isZero { return a.isZero == b.isZero ? 0 : (a.isZero ? -1 : 1) }
        if a.point != b.point { return a.point < b.point ? -1 : 1 }
        for index in 0..<max(a.digits.count, b.digits.count) {
            let x = index < a.digits.count ? a.digits[index] : 0
            let y = index < b.digits.count ? b.digits[index] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// The digits `repr` prints for a positive finite double: the shortest decimal that reads back
    /// as the same double (round half to even when reading, so the ends of the rounding interval
    /// count when the mantissa is even), and of those the nearest to the exact value.
    static func shortest(_ value: Double) -> DecimalDigits {
        let (mantissa, exponent) = value.binaryParts
        let exact = DecimalDigits(mantissa: mantissa, binaryExponent: exponent)
        // Halfway to the neighbours, in units of 2^(exponent-2); below a power of two the lower
        // neighbour is half as far (except at the smallest exponent).
        let lowerGapHalved = mantissa == 1 << 52 && exponent > -1074
        let low = DecimalDigits(mantissa: 4 * mantissa - (lowerGapHalved ? 1 : 2), binaryExponent: exponent - 2)
        let high = DecimalDigits(mantissa: 4 * mantissa + 2, binaryExponent: exponent - 2)
        let closed = mantissa % 2 == 0
        func readsBack(_ candidate: DecimalDigits) -> Bool {
            let above = compare(candidate, low), below = compare(candidate, high)
            return closed ? above >= 0 && below <= 0 : above > 0 && below < 0
        }
        for kept in 1...exact.digits.count {
            // Any candidate with this many digits lies beside the exact value, so the two
            // neighbours at this precision are the only ones to try.
            let down = exact.truncated(keeping: kept)
            let up = kept < exact.digits.count ? down.incremented(at: kept) : down
            switch (readsBack(down), readsBack(up)) {
            case (true, true):
                return exact.rounded(keeping: kept)
            case (true, false):
                return down
            case (false, true):
                return up
            case (false, false):
                continue
            }
        }
        return exact
    }
}

extension Double {
    /// (m, e) with |self| = m · 2^e, for finite values: m < 2^53.
    var binaryParts: (mantissa: UInt64, exponent: Int) {
        let field = Int(exponentBitPattern)
        let fraction = significandBitPattern
        return field == 0 ? (fraction, -1074) : (fraction | 1 << 52, field - 1075)
    }
}

/// An arbitrary-size natural number, just enough to expand a double exactly: 32-bit limbs, least
/// significant first.
struct BigNatural {
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
        trim()
    }

    mutating func shiftLeft(_ bits: Int) {
        guard !limbs.isEmpty else { return }
        let whole = bits / 32, part = bits % 32
        if part > 0 {
            var carry: UInt32 = 0
            for index in limbs.indices {
                let limb = limbs[index]
                limbs[index] = limb << part | carry
                carry = limb >> (32 - part)
            }
            if carry > 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: whole), at: 0)
    }

    /// Divides in place; returns the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let current = remainder << 32 | UInt64(limbs[index])
            limbs[index] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    /// Decimal digits, most significant first; empty for zero.
    func decimalDigits() -> [UInt8] {
        var number = self
        var groups: [UInt32] = []
        while !number.limbs.isEmpty { groups.append(number.divide(by: 1_000_000_000)) }
        var digits: [UInt8] = []
        for (index, group) in groups.reversed().enumerated() {
            var chunk: [UInt8] = []
            var rest = group
            for _ in 0..<9 {
                chunk.append(UInt8(rest % 10))
                rest /= 10
            }
            chunk.reverse()
            if index == 0 { chunk.removeFirst(chunk.firstIndex(where: { $0 != 0 }) ?? chunk.count) }
            digits += chunk
        }
        return digits
    }
}
