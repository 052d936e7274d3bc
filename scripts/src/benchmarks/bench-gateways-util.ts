import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** JSON with object keys sorted at every level: two answers are the same data iff their canonical forms are equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** The first place two JSON values differ, as a path and the two values there; null when they are equal. */
export function firstDifference(a: unknown, b: unknown, at = '$'): { path: string; left: unknown; right: unknown } | null {
  if (a === b) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) return { path: `${at}[${i}]`, left: a[i], right: b[i] };
      const inner = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (inner) return inner;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const inner = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      if (inner) return inner;
    }
    return null;
  }
  return { path: at, left: a, right: b };
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same request order on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `length` slots filled by kind in proportion to `weights` (drawn with a seeded PRNG), each kind cycling through its
 * own items: a mix where every request of a kind carries the next item's variables.
 */
export function interleave<T>(groups: { weight: number; items: T[] }[], length: number, seed = 7): T[] {
  const usable = groups.filter((g) => g.weight > 0 && g.items.length);
  const total = usable.reduce((sum, g) => sum + g.weight, 0);
  const random = seededRandom(seed);
  const next = usable.map(() => 0);
  const out: T[] = [];
  for (let i = 0; i < length; i++) {
    let pick = random() * total;
    let g = 0;
    while (g < usable.length - 1 && pick >= usable[g].weight) pick -= usable[g++].weight;
    out.push(usable[g].items[next[g]++ % usable[g].items.length]);
  }
  return out;
}

// ---- /proc: the gateway process (and its cluster workers), its memory and CPU time ----

/** The process and all its descendants (cluster workers), from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid)!.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return out;
}

/** Resident memory of these processes together, in bytes (VmRSS); processes that are gone count 0. */
export function rssBytes(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

let ticksPerSecond: number | undefined;

/** User + system CPU time these processes used so far, in milliseconds. */
export function cpuMs(pids: number[]): number {
  ticksPerSecond ??= (() => {
    try {
      return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      return 100;
    }
  })();
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state (field 3 of stat); utime and stime are fields 14 and 15
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}

// ---- V8 CPU profiles (node --cpu-prof) ----

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  ms: number;
  /** Share of the time the process was busy (everything but "(idle)"). */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Self time per function. */
  frames: ProfileLine[];
  /** Self time per package (node core, our code, each dependency). */
  areas: ProfileLine[];
  /** Time with the function on the stack (itself and its callees), for functions of packages and of our code. */
  inclusive: ProfileLine[];
}

/** "node_modules/@apollo/query-planner/dist/…" → "@apollo/query-planner"; our own dist → "ours: gateway"… */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const at = url.lastIndexOf('node_modules/');
  if (at >= 0) {
    const rest = url.slice(at + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node (core)';
  const ours = /\/(gateway|platform|scripts|subgraphs\/[^/]+)\/dist\//.exec(url);
  if (ours) return `ours: ${ours[1]}`;
  return url;
}

function frameName(node: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  let file = url.replace(/^file:\/\//, '');
  const at = file.lastIndexOf('node_modules/');
  if (at >= 0) file = file.slice(at + 'node_modules/'.length);
  else if (file.startsWith(root)) file = file.slice(root.length + 1);
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/**
 * Self time per function and per package (sampled time spent in the function itself, not its callees), counting only
 * samples taken within `window` when given: microseconds on the monotonic clock V8 stamps profiles with, the one
 * `process.hrtime` reads (so the bench can leave out the gateway's start and its warm-up).
 */
export function summariseProfile(profile: CpuProfile, root: string, top = 25, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  let totalUs = 0;
  let idleUs = 0;
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = frameName(node, root);
    frames.set(name, (frames.get(name) ?? 0) + us);
    const area = areaOf(node.callFrame.url.replace(/^file:\/\//, ''), node.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    // Each function on this sample's stack once (recursion counts once), node's own and anonymous frames left out.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at);
      if (!frame || !frame.callFrame.url || frame.callFrame.url.startsWith('node:') || !frame.callFrame.functionName) continue;
      onStack.add(frameName(frame, root));
    }
    for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / busyUs }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, frames: lines(frames), areas: lines(areas), inclusive: lines(inclusive) };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

export function newestProfile(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

/** Several processes' summaries as one (the subgraphs together): times added up, shares of their busy time together. */
export function mergeSummaries(summaries: ProfileSummary[], top = 25): ProfileSummary {
  const totalMs = summaries.reduce((sum, s) => sum + s.totalMs, 0);
  const idleMs = summaries.reduce((sum, s) => sum + s.idleMs, 0);
  const busyMs = Math.max(0.001, totalMs - idleMs);
  const merge = (pick: (s: ProfileSummary) => ProfileLine[]) => {
    const byName = new Map<string, number>();
    for (const s of summaries) for (const line of pick(s)) byName.set(line.name, (byName.get(line.name) ?? 0) + line.ms);
    return [...byName.entries()].sort((x, y) => y[1] - x[1]).slice(0, top).map(([name, ms]) => ({ name, ms, share: ms / busyMs }));
  };
  return { totalMs, idleMs, frames: merge((s) => s.frames), areas: merge((s) => s.areas), inclusive: merge((s) => s.inclusive) };
}
