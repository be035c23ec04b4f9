// Loads the vendored ALTCHA widget (external build: no inline workers or styles,
// so the strict Content-Security-Policy holds) and registers the SHA worker.
import "./vendor/altcha/altcha.min.js";
import "./vendor/altcha/i18n/de.js";
import "./vendor/altcha/i18n/en.js";

const worker = new URL("./vendor/altcha/workers/sha.js", import.meta.url);
for (const algorithm of ["SHA-256", "SHA-384", "SHA-512"]) {
  globalThis.$altcha.algorithms.set(algorithm, () => new Worker(worker));
}
