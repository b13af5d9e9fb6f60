/**
 * The package as users get it (issue 13 "Done when"): `npm pack`, installed from the tarball into
 * an empty folder; `npx receiptd serve` with fixed credentials answers a UserSig made by Tencent's
 * tls-sig-api-v2; a TypeScript file importing `startReceiptd` from the installed package
 * type-checks; the README's vitest example passes against it; and `npm start` runs the built file,
 * so SIGTERM to npm stops the server.
 *
 * One pack and one install serve every test here. Installing compiles better-sqlite3 from source
 * (only the npm registry is reachable), a minute or two; npm's cache makes the rest quick.
 */
import { execFile, spawn } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
  existsSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Api } from 'tls-sig-api-v2'
import { beforeAll, describe, expect, it } from 'vitest'
import { freePort, waitHealthy } from '../helpers/process.js'

const exec = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RECEIPTD_')))

let consumer: string
let tarball: string

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'receiptd-package-'))
  // prepare builds dist/ from source first, as on a fresh clone.
  await exec(npm, ['pack', '--pack-destination', work], { cwd: root, env, maxBuffer: 64 * 2 ** 20 })
  tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  )
  consumer = join(work, 'consumer')
  mkdirSync(consumer)
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  )
  await exec(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: consumer,
    env,
    maxBuffer: 64 * 2 ** 20,
  })
}, 1_200_000)

/** The pid of the installed receiptd listening on `port` (its command line names the port). */
async function serverPid(port: number): Promise<number | undefined> {
  const { stdout } = await exec('ps', ['-eo', 'pid=,args='])
  const line = stdout
    .split('\n')
    .find((l) => l.includes(`${consumer}/node_modules/.bin/receiptd serve`) && l.includes(`--port ${port}`))
  return line === undefined ? undefined : Number(line.trim().split(/\s+/)[0])
}

describe('the packed package', () => {
  it('ships the built server, migrations, types, README and LICENSE, and no source maps', async () => {
    const { stdout } = await exec('tar', ['-tzf', tarball])
    const files = stdout.split('\n')
    for (const f of [
      'package/LICENSE',
      'package/README.md',
      'package/dist/cli/main.js',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/store/sqlite/migrations/0001_accounts_outbox.sql',
      'package/dist/store/postgres/migrations/0001_accounts_outbox.sql',
    ]) {
      expect(files).toContain(f)
    }
    expect(
      files.filter((f) => f.endsWith('.map') || f.includes('.test.') || f.startsWith('package/src/')),
    ).toEqual([])
  })

  it('starts with npx receiptd and fixed credentials, and accepts a UserSig from tls-sig-api-v2', async () => {
    const port = await freePort()
    const started = performance.now()
    const child = spawn(
      'npx',
      ['--no-install', 'receiptd', 'serve', '--memory', '--port', String(port), '--sdkappid', '1400000123'],
      {
        cwd: consumer,
        env: { ...env, RECEIPTD_SECRET_KEY: 'fixed-key-for-ci' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      await waitHealthy(`http://127.0.0.1:${port}`, 30_000)
      // Issue 13 asks for under 2 s on a quiet machine; this machine may be busy, so it is reported.
      process.stdout.write(
        `npx receiptd serve answered /healthz after ${Math.round(performance.now() - started)} ms\n`,
      )
      const sig = new Api(1400000123, 'fixed-key-for-ci').genUserSig('administrator', 600)
      const res = await fetch(
        `http://127.0.0.1:${port}/v4/im_open_login_svc/account_import?sdkappid=1400000123&identifier=administrator&usersig=${sig}&random=1&contenttype=json`,
        { method: 'POST', body: '{"UserID":"packed"}' },
      )
      expect(await res.json()).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
    } finally {
      // npx runs the bin under `sh -c`, which does not pass signals on: signal the server itself,
      // as a terminal's Ctrl-C reaches every process of the foreground group.
      const server = await serverPid(port)
      if (server !== undefined) process.kill(server, 'SIGTERM')
      child.kill('SIGTERM')
    }
    await exited
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
  }, 120_000)

  it('exports startReceiptd with types that check, and the README vitest example passes', async () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc')
    writeFileSync(
      join(consumer, 'consumer.ts'),
      [
        "import { startReceiptd, type Receiptd, type ReceiptdOptions } from 'receiptd'",
        "const options: ReceiptdOptions = { sdkAppId: 1400000001, secretKey: 'k', limits: { ratePerSecond: 0 } }",
        'const im: Receiptd = await startReceiptd(options)',
        "const sig: string = im.usersig('alice')",
        'const url: string = im.url',
        'await im.reset()',
        'await im.stop()',
        'export { sig, url }',
        '',
      ].join('\n'),
    )
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: [],
      },
      files: ['consumer.ts'],
    }
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig))
    await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer })
    // The README's example, run by vitest against the installed package.
    copyFileSync(join(root, 'examples/library.test.ts'), join(consumer, 'library.test.ts'))
    if (!existsSync(join(consumer, 'node_modules/vitest'))) {
      symlinkSync(join(root, 'node_modules/vitest'), join(consumer, 'node_modules/vitest'), 'dir')
    }
    const run = await exec(
      process.execPath,
      [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'library.test.ts'],
      {
        cwd: consumer,
        env,
      },
    )
    expect(run.stdout).toMatch(/3 passed/)
  }, 120_000)
})

describe('npm start', () => {
  it('runs the built server directly, so SIGTERM to npm stops it and frees the port', async () => {
    const port = await freePort()
    const child = spawn(npm, ['start', '--', '--memory', '--port', String(port), '--log-level', 'warn'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      await waitHealthy(`http://127.0.0.1:${port}`, 60_000)
    } finally {
      // Only npm is signalled, as `kill -TERM <npm's pid>` does.
      child.kill('SIGTERM')
    }
    await exited
    // The server got the signal too: it stops and frees the port.
    const until = Date.now() + 15_000
    let free = false
    while (!free && Date.now() < until) {
      free = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => false,
        () => true,
      )
      if (!free) await new Promise((r) => setTimeout(r, 200))
    }
    expect(free).toBe(true)
  }, 120_000)
})
