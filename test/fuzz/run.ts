/**
 * The long fuzz run (issue 3 item 11, issue 11 item 11): FUZZ_RUNS inputs per parser (default
 * 100,000), random and mutated real files; targets whose inputs are expensive (image decodes) run
 * fewer and say why. Prints per parser: runs, accepted, rejected with a typed error, the most
 * common error codes, the slowest input (CPU ms) and the time. A target fails on an untyped exception
 * or an input costing more than 2 s of CPU (or not settling in 10 s: a hang); the others still run, and the exit status is 1.
 *   node --import tsx test/fuzz/run.ts            FUZZ_RUNS=1000 FUZZ_ONLY=sod,dg13 FUZZ_SEED=42
 */
import { fuzz, fuzzTargets } from './targets.ts';

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const only = process.env.FUZZ_ONLY?.split(',').filter(Boolean);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const targets = (await fuzzTargets()).filter((t) => !only || only.includes(t.name));
const started = performance.now();
let failed = false;
console.log(`fuzz: ${runs} inputs per parser, ${targets.length} parsers${seed === undefined ? '' : `, seed ${seed}`}`);
for (const t of targets) {
  const t0 = performance.now();
  try {
    const n = t.maxRuns ? Math.min(runs, t.maxRuns.runs) : runs;
    if (n < runs) console.log(`${t.name.padEnd(13)} ${n} inputs instead of ${runs}: ${t.maxRuns!.why}`);
    const out = await fuzz(t, n, seed);
    const top = [...out.codes].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, n]) => `${c}:${n}`).join(' ');
    console.log(`${t.name.padEnd(13)} runs=${out.runs} accepted=${out.accepted} rejected=${out.rejected} slowest=${out.slowestMs.toFixed(1)}ms-cpu time=${((performance.now() - t0) / 1000).toFixed(1)}s  ${top}`);
  } catch (e) {
    failed = true;
    console.log(`${t.name.padEnd(13)} FAILED after ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    const message = String(e instanceof Error ? e.message : e);
    console.log(message.length > 3000 ? `${message.slice(0, 1500)} … ${message.slice(-1500)}` : message);
    const cause = e instanceof Error ? e.cause : undefined;
    if (cause) console.log('cause:', cause instanceof Error ? cause.stack : cause);
  }
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)}s`);
process.exit(failed ? 1 : 0);
