/**
 * Several receiptd processes on one PostgreSQL schema, started from source the way an operator
 * runs them (`receiptd serve --database … --config …`), and a client that signs calls like SDKs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Api } from 'tls-sig-api-v2'
import { CLI } from '../helpers/cli.js'
import { freePort } from '../helpers/process.js'
import { ADMIN, SAMPLE_KEY, SDK_APP_ID } from '../helpers/server.js'

export interface Instance {
  url: string
  child: ChildProcess
  stderr: () => string
}

async function healthy(instance: Instance): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (instance.child.exitCode !== null) {
      throw new Error(`receiptd exited with ${instance.child.exitCode}: ${instance.stderr()}`)
    }
    try {
      if ((await fetch(`${instance.url}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('receiptd did not become healthy within 30 s')
}

export interface InstanceOptions {
  /** The app's `callback` section; none by default. */
  callback?: Record<string, unknown>
  /** The `webhooks` section: the dispatcher's lease and poll interval. */
  webhooks?: Record<string, unknown>
  /** More `store.postgres` settings (timeouts, pool). */
  postgres?: Record<string, unknown>
}

/** Starts `count` instances at once (they race to migrate the schema) and waits until all answer. */
export async function startInstances(
  count: number,
  databaseUrl: string,
  schema: string,
  options: InstanceOptions = {},
): Promise<Instance[]> {
  const dir = mkdtempSync(join(tmpdir(), 'receiptd-scale-'))
  const config = join(dir, 'receiptd.json')
  // Workers send to one group faster than Tencent's 40 messages a second.
  const app = {
    sdkAppId: SDK_APP_ID,
    secretKey: SAMPLE_KEY,
    admins: [ADMIN],
    limits: { ratePerSecond: 0, groupMsgPerSecond: 0 },
  }
  writeFileSync(
    config,
    JSON.stringify({
      store: { postgres: { schema, poolMax: 5, ...options.postgres } },
      ...(options.webhooks && { webhooks: options.webhooks }),
      apps: [{ ...app, ...(options.callback && { callback: options.callback }) }],
    }),
  )
  const instances = await Promise.all(
    Array.from({ length: count }, async () => {
      const port = await freePort()
      const clean = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('RECEIPTD_')),
      )
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI, 'serve', '--database', databaseUrl, '--port', String(port)].concat([
          '--config',
          config,
          '--log-level',
          'warn',
        ]),
        { env: clean, stdio: ['ignore', 'ignore', 'pipe'] },
      )
      let err = ''
      child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
      return { url: `http://127.0.0.1:${port}`, child, stderr: () => err }
    }),
  )
  await Promise.all(instances.map(healthy))
  return instances
}

export function stopInstances(instances: readonly Instance[]): Promise<void[]> {
  return Promise.all(
    instances.map(
      (i) =>
        new Promise<void>((resolve) => {
          if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve()
          i.child.once('exit', () => resolve())
          i.child.kill('SIGTERM')
        }),
    ),
  )
}

const adminSig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 86400)

/** One admin call to an instance; answers the envelope. */
export async function call(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const query = `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${adminSig}&random=1&contenttype=json`
  const res = await fetch(`${url}/v4/${path}?${query}`, { method: 'POST', body: JSON.stringify(body) })
  return (await res.json()) as Record<string, unknown>
}
