// One wrk run against a URL: requests per second, p99 latency in ms, and non-2xx answers.
import { execFileSync } from 'node:child_process';

export function wrk(url, { seconds, conns = 64 }) {
  const out = execFileSync('wrk', ['-t2', `-c${conns}`, `-d${seconds}s`, '--latency', url], { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const toMs = (v, u) => (u === 'us' ? v / 1000 : u === 's' ? v * 1000 : v);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return { rps, p99: toMs(Number(p99[1]), p99[2]), non2xx: errors ? Number(errors[1]) : 0 };
}
