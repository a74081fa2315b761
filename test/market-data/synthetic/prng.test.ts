import { describe, expect, it } from 'vitest';
import { mix32, RandomStream, streamSeed } from '../../../market-data/synthetic/prng';

describe('mix32 (SPEC.md e.9)', () => {
  // Provenance: test/fixtures/synthetic/prng_reference.py, python3 -c "from prng_reference import mix32;
  // print(mix32(0), mix32(42), mix32(0xFFFFFFFF))" printed 2462723854 939911724 920564995.
  it.each([
    [0, 2462723854],
    [42, 939911724],
    [0xffffffff, 920564995],
  ])('mix32(%i) = %i', (x, expected) => {
    expect(mix32(x)).toBe(expected);
  });

  it('returns unsigned 32-bit integers and is a bijection on a sample (no collisions)', () => {
    const seen = new Set<number>();
    let bad = 0;
    for (let x = 0; x < 100_000; x++) {
      const y = mix32(x);
      if (!(Number.isInteger(y) && y >= 0 && y <= 0xffffffff)) bad++;
      seen.add(y);
    }
    expect(bad).toBe(0);
    expect(seen.size).toBe(100_000);
  });
});

describe('stream seeds and raw outputs', () => {
  it('matches the Python and C reference implementations for (42, "factors")', () => {
    // test/fixtures/synthetic/prng_reference.py and xoshiro_reference_check.c (reference C
    // xoshiro128** from prng.di.unimi.it) both print 1131259207 and these four outputs.
    expect(streamSeed(42, 'factors')).toBe(1131259207);
    const g = new RandomStream(42, 'factors');
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([
      792267585, 3554367813, 101812795, 2443389709,
    ]);
  });

  it('matches the Python reference for (42, "idio:AAPL")', () => {
    // python3 test/fixtures/synthetic/prng_reference.py 42 idio:AAPL 4
    expect(streamSeed(42, 'idio:AAPL')).toBe(3274341387);
    const g = new RandomStream(42, 'idio:AAPL');
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([
      3340786540, 1584650477, 2393370862, 1761890641,
    ]);
    const n = new RandomStream(42, 'idio:AAPL');
    expect([n.normal(), n.normal(), n.normal(), n.normal()]).toEqual([
      -0.6634867737280628, -0.24952082527294803, -1.9834381075072016, 0.017208923522876753,
    ]);
  });

  it('uniforms: (a 2^21 + b + 0.5) / 2^53, as the Python reference prints them', () => {
    const g = new RandomStream(42, 'factors');
    expect([g.uniform(), g.uniform(), g.uniform()]).toEqual([
      0.18446417195432957, 0.023705138724505914, 0.41798035324212907,
    ]);
    // Hand check of the first: a = 792267585, b = 3554367813 >>> 11 = 1735531.
    expect((792267585 * 2 ** 21 + (3554367813 >>> 11) + 0.5) / 2 ** 53).toBe(0.18446417195432957);
  });

  it('labels are hashed over their UTF-8 bytes', () => {
    // 'É' (U+00C9) is the two UTF-8 bytes C3 89.
    let h = mix32(42);
    for (const b of [0x69, 0x64, 0x69, 0x6f, 0x3a, 0xc3, 0x89]) h = mix32((h ^ b) >>> 0);
    expect(streamSeed(42, 'idio:\u00c9')).toBe(h);
    let latin1 = mix32(42);
    for (const b of [0x69, 0x64, 0x69, 0x6f, 0x3a, 0xc9]) latin1 = mix32((latin1 ^ b) >>> 0);
    expect(streamSeed(42, 'idio:\u00c9')).not.toBe(latin1);
  });

  it('rejects seeds outside 0..2^32-1', () => {
    expect(() => streamSeed(-1, 'x')).toThrow(RangeError);
    expect(() => streamSeed(2 ** 32, 'x')).toThrow(RangeError);
    expect(() => streamSeed(1.5, 'x')).toThrow(RangeError);
  });
});

describe('golden normals: stream "factors", seed 42 (SPEC.md e.9)', () => {
  // Provenance: python3 test/fixtures/synthetic/prng_reference.py (an independent Python
  // implementation written from SPEC.md e.9), run once on 2025 Debian 12 / CPython 3; it
  // printed exactly these ten values. Exact equality: both sides use float64 IEEE arithmetic
  // in the same order.
  const GOLDEN = [
    1.8182840574082202, 0.27284269312498866, 0.23749614434817562, 1.299321853956874, 0.8515908296955282,
    0.6140753806640915, 0.5413035231826796, -0.4256891743215222, 0.18370666696110868, 0.029670400634486803,
  ];
  it('the first ten normals', () => {
    const g = new RandomStream(42, 'factors');
    expect(Array.from({ length: 10 }, () => g.normal())).toEqual(GOLDEN);
  });
});

describe('distribution invariants (200 000 draws, fixed seed)', () => {
  it('uniforms lie in (0, 1] with mean 1/2 and variance 1/12', () => {
    const g = new RandomStream(7, 'u');
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = g.uniform();
      if (!(u > 0 && u <= 1)) outside++;
      s += u;
      s2 += u * u;
    }
    expect(outside).toBe(0);
    const mean = s / n;
    // Standard error of the mean is sqrt(1/12/n) = 0.00065; allow 5 se.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0033);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('normals have mean 0, variance 1, and the pair members are uncorrelated', () => {
    const g = new RandomStream(7, 'n');
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let cross = 0;
    for (let i = 0; i < n / 2; i++) {
      const a = g.normal();
      const b = g.normal();
      s += a + b;
      s2 += a * a + b * b;
      cross += a * b;
    }
    // se(mean) = 1/sqrt(n) = 0.0022; se(var) = sqrt(2/n) = 0.0032; se(corr) = 0.0032.
    expect(Math.abs(s / n)).toBeLessThan(0.011);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.016);
    expect(Math.abs(cross / (n / 2))).toBeLessThan(0.016);
  });

  it('index(n) gives every value with equal odds', () => {
    const g = new RandomStream(3, 'i');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[g.index(4)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400); // se 87
  });

  it('uniform() between normals does not consume the kept second normal', () => {
    const a = new RandomStream(1, 'x');
    const b = new RandomStream(1, 'x');
    const z1 = a.normal();
    a.uniform();
    const z2 = a.normal();
    const c1 = b.normal();
    const c2 = b.normal();
    expect([z1, z2]).toEqual([c1, c2]);
  });
});
