/** Runs in every test file (vitest.config.ts setupFiles): the file's scratch folders go when it ends. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dirs';

afterAll(removeTempDirs);
