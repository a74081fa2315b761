/**
 * The synthetic generator's random streams, exactly as SPEC.md e.9 fixes them, so demo data
 * stay identical across versions:
 *
 *   mix32(x):      x = x + 0x9E3779B9 (mod 2^32); z = x;
 *                  z = (z ^ z>>>16) * 0x85EBCA6B; z = (z ^ z>>>13) * 0xC2B2AE35 (mod 2^32);
 *                  return z ^ z>>>16
 *   stream seed:   h = mix32(seed); h = mix32(h ^ b) for each UTF-8 byte b of the label
 *   state:         s0 = mix32(h), s1 = mix32(s0), s2 = mix32(s1), s3 = mix32(s2)
 *                  (four successive mix32 values starting from the stream seed)
 *   generator:     xoshiro128** (Blackman and Vigna, https://prng.di.unimi.it/xoshiro128starstar.c)
 *   uniform:       (a * 2^21 + b + 0.5) / 2^53, a = one output, b = the next output >>> 11,
 *                  evaluated in float64 (above 2^52 the +0.5 rounds half to even, so the
 *                  largest value is 1 exactly; the smallest is 2^-54, never 0)
 *   normals:       Box-Muller on (u1, u2): z1 = sqrt(-2 ln u1) cos(2 pi u2),
 *                  z2 = sqrt(-2 ln u1) sin(2 pi u2)
 *
 * Draw order within a stream: `normal()` returns z1 of a fresh pair and keeps z2 for the next
 * `normal()` call; `uniform()` always consumes two fresh outputs and leaves a kept z2 alone.
 * The independent Python implementation in test/fixtures/synthetic/ reproduces the sequence
 * (integers and uniforms exactly; normals to the last bit of the platform's log/sin/cos, which
 * V8 implements itself, so output is identical on every machine running the same Node).
 */

/** SPEC.md e.9 mix32 on an unsigned 32-bit integer. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Bytes of `s` in UTF-8 (labels carry symbols, which are ASCII in practice). */
function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Seed of the stream named `label` under the generator seed `seed` (0 .. 2^32 - 1). */
export function streamSeed(seed: number, label: string): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  }
  let h = mix32(seed);
  for (const b of utf8Bytes(label)) h = mix32((h ^ b) >>> 0);
  return h;
}

const TWO_POW_21 = 2 ** 21;
const TWO_POW_53 = 2 ** 53;
const TWO_PI = 2 * Math.PI;

/** One seeded random stream: xoshiro128** with the uniform and normal draws of e.9. */
export class RandomStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number, label: string) {
    const h = streamSeed(seed, label);
    this.s0 = mix32(h);
    this.s1 = mix32(this.s0);
    this.s2 = mix32(this.s1);
    this.s3 = mix32(this.s2);
  }

  /** Next xoshiro128** output, an unsigned 32-bit integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in (0, 1] (1 only with probability 2^-53), from two outputs. */
  uniform(): number {
    const a = this.nextUint32();
    const b = this.nextUint32() >>> 11;
    return (a * TWO_POW_21 + b + 0.5) / TWO_POW_53;
  }

  /** Standard normal; pairs come from Box-Muller, the second member is served next. */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(TWO_PI * u2);
    return r * Math.cos(TWO_PI * u2);
  }

  /** Uniform in (lo, hi]. */
  uniformBetween(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** An index in 0 .. n - 1 with equal odds (floor(n u), with u = 1 mapped to n - 1). */
  index(n: number): number {
    return Math.min(n - 1, Math.floor(n * this.uniform()));
  }
}
