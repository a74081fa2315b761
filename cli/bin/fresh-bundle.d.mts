// Types of the bin's plain ES module (fresh-bundle.mjs), for the TypeScript code that shares it.
export declare const BUNDLE_NAME: string;
export declare const INPUTS_NAME: string;
export declare function freshBundle(dir: string, name?: string): string | null;
