/** Type declarations for the parts of lz4js (0.2.0, plain CommonJS without types) that we use. */
declare module 'lz4js' {
  /** Compresses a whole buffer into one LZ4 frame (used by the test-only archive writer). */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Decompresses one whole LZ4 frame (used by tests as a second, independent decoder). */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
}

declare module 'lz4js/xxh32.js' {
  /** xxHash32 of src[index, index + length) with the given seed. */
  export function hash(seed: number, src: Uint8Array, index: number, length: number): number;
}
