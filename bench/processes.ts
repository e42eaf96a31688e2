/**
 * What the benchmark orchestrators (bench/run.ts, bench/reliability.ts) share: child processes
 * pinned to one CPU and driven over IPC, and the CPU accounting read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'

/** The repository: children run from there, so their paths are relative to it. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

// Server on CPU 0, load generator on CPU 1, so they never compete for a core.
export const SERVER_CPU = 0
export const LOADER_CPU = 1

// Pinning needs taskset and two CPUs; without them the numbers still come, with a warning.
export const canPin = availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

/** The environment variable `name` as a positive number, `fallback` when unset. */
export function positive (name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`)
  return value
}

/** Runs `node --import tsx <args>` on one CPU. */
export function node (cpu: number, args: string[], ipc: boolean): ChildProcess {
  const argv = [process.execPath, '--import', 'tsx', ...args]
  const [command, ...rest] = canPin ? ['taskset', '-c', String(cpu), ...argv] : argv
  return spawn(command, rest, { cwd: ROOT, stdio: ['ignore', ipc ? 'inherit' : 'pipe', 'inherit', ...(ipc ? ['ipc' as const] : [])] })
}

/** The next IPC message of `child` (after sending `message`, if given). */
export function ask<T> (child: ChildProcess, message?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child process ${child.pid} exited (${code}) before answering`))
    child.once('exit', onExit)
    child.once('message', reply => {
      child.off('exit', onExit)
      resolve(reply as T)
    })
    if (message !== undefined) child.send(message as any)
  })
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds (pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat(5); fields[0] is field 3.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    return Number.NaN
  }
}

/** Busy CPU seconds of each CPU so far (everything but idle and iowait), from /proc/stat. */
export function busySeconds (): number[] {
  try {
    const busy: number[] = []
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const match = /^cpu(\d+) (.*)$/.exec(line)
      if (match === null) continue
      const [user, nice, system, , , irq, softirq, steal] = match[2].trim().split(/\s+/).map(Number)
      busy[Number(match[1])] = (user + nice + system + irq + softirq + steal) / CLOCK_TICKS
    }
    return busy
  } catch {
    return []
  }
}

/** Resolves after `msec` milliseconds. */
export const sleep = (msec: number) => new Promise(resolve => setTimeout(resolve, msec))
