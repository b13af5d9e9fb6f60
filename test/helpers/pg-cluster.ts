/**
 * A throwaway PostgreSQL cluster for fault tests: `initdb` into a temporary folder and `pg_ctl` on
 * a free port, so a test can terminate its backends, stop, restart and freeze it without touching
 * the shared database. The binaries come from /usr/lib/postgresql/<version>/bin; as root they run
 * as the `postgres` user, since PostgreSQL refuses to run as root.
 */
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from './process.js'

const run = promisify(execFile)

/** The newest installed PostgreSQL's bin folder, or undefined when there is none. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

export class ThrowawayCluster {
  readonly url: string
  readonly #bin: string
  readonly #dir: string
  readonly #port: number
  readonly #asUser: { uid: number; gid: number } | undefined
  #frozen: number[] = []

  private constructor(
    bin: string,
    dir: string,
    port: number,
    asUser: { uid: number; gid: number } | undefined,
  ) {
    this.#bin = bin
    this.#dir = dir
    this.#port = port
    this.#asUser = asUser
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`
  }

  /** Creates and starts a cluster; undefined when this machine has no PostgreSQL binaries. */
  static async create(): Promise<ThrowawayCluster | undefined> {
    const bin = postgresBin()
    if (bin === undefined) return undefined
    const dir = mkdtempSync(join(tmpdir(), 'receiptd-pg-'))
    let asUser: { uid: number; gid: number } | undefined
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres'])
      const { stdout: gid } = await run('id', ['-g', 'postgres'])
      asUser = { uid: Number(stdout.trim()), gid: Number(gid.trim()) }
      chownSync(dir, asUser.uid, asUser.gid)
    }
    const cluster = new ThrowawayCluster(bin, dir, await freePort(), asUser)
    await cluster.#pg('initdb', ['-D', cluster.#data, '-U', 'postgres', '-A', 'trust', '--no-sync'])
    await cluster.start()
    return cluster
  }

  get #data(): string {
    return join(this.#dir, 'data')
  }

  async #pg(tool: string, args: string[]): Promise<string> {
    const { stdout } = await run(join(this.#bin, tool), args, {
      ...(this.#asUser && { uid: this.#asUser.uid, gid: this.#asUser.gid }),
      cwd: this.#dir,
      timeout: 60_000,
    })
    return stdout
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-p ${this.#port}`,
      `-k ${this.#dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c max_connections=60',
    ].join(' ')
    await this.#pg('pg_ctl', ['start', '-w', '-D', this.#data, '-l', join(this.#dir, 'log'), '-o', options])
  }

  /** Like a crash: every backend killed at once, recovery at the next start. */
  async stopImmediate(): Promise<void> {
    await this.#pg('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', this.#data])
  }

  /** A planned restart: sessions are ended (57P01), then the server comes back. */
  async restartFast(): Promise<void> {
    await this.#pg('pg_ctl', ['restart', '-w', '-m', 'fast', '-D', this.#data, '-l', join(this.#dir, 'log')])
  }

  /** Ends every other session on the server (pg_terminate_backend); answers how many. */
  async terminateBackends(): Promise<number> {
    const c = new pg.Client({ connectionString: this.url })
    await c.connect()
    try {
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      )
      return rows[0]!.n
    } finally {
      await c.end()
    }
  }

  /** SIGSTOP to the postmaster and every process it started: the server answers nothing. */
  async freeze(): Promise<void> {
    const postmaster = Number(readFileSync(join(this.#data, 'postmaster.pid'), 'utf8').split('\n')[0])
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)])
    this.#frozen = [postmaster, ...stdout.split('\n').flatMap((l) => (l.trim() ? [Number(l.trim())] : []))]
    for (const pid of this.#frozen) process.kill(pid, 'SIGSTOP')
  }

  thaw(): void {
    for (const pid of this.#frozen) {
      try {
        process.kill(pid, 'SIGCONT')
      } catch {
        // it ended meanwhile
      }
    }
    this.#frozen = []
  }

  /** Stops the server (whatever state it is in) and removes its folder. */
  async destroy(): Promise<void> {
    this.thaw()
    await this.#pg('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', this.#data]).catch(() => undefined)
    rmSync(this.#dir, { recursive: true, force: true })
  }
}
