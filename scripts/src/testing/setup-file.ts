// Runs in every test file before it loads.
import 'reflect-metadata';

// Jest runs each test file in its own realm, but Node's fetch is the outer realm's: its `json()` would build objects
// whose prototypes differ from the test's, and node:assert's deepStrictEqual would refuse to compare them. Parse in
// the test's realm instead (same text, same values). Checked by scripts/src/testing/setup-file.test.ts.
const parse = JSON.parse;
Object.defineProperty(Response.prototype, 'json', {
  configurable: true, writable: true,
  value: async function json(this: Response) {
    return parse(await this.text());
  },
});
