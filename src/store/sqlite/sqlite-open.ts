/**
 * Opening the embedded database: the data folder, its lock, and the database file, with every way
 * this fails at start-up turned into one `StoreUnavailableError` line (issue 11 point 5): a folder
 * that is a file or cannot be created, a full disk, a file that is not a database.
 *
 * One process per data folder (issue 11 point 7): `receiptd.lock` beside the database is a tiny
 * SQLite file held with an exclusive lock for the life of the process. The operating system drops
 * the lock when the process ends, however it ends, so a lock left by a crash is never in the way;
 * a second process finds it held and stops with a message naming the first.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { dataFolderProblem } from '../../config/dev-app.js'
import { MigrationError } from '../migrations.js'
import { StoreUnavailableError } from '../store.js'

export const SQLITE_FILE = 'receiptd.sqlite'
export const LOCK_FILE = 'receiptd.lock'
/** Who holds the lock, for the message of a second process; written once the lock is taken. */
const OWNER_FILE = 'receiptd.lock.owner'

export interface DataFolderLock {
  release(): void
}

export function lockDataFolder(dir: string): DataFolderLock {
  try {
    mkdirSync(dir, { recursive: true })
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
  } catch (e) {
    throw new StoreUnavailableError(dataFolderProblem(dir, e))
  }
  const path = join(dir, LOCK_FILE)
  let db: Database.Database
  try {
    db = new Database(path, { timeout: 0 })
    // Kept after the first write until the connection closes: the lock lives as long as we do.
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY); COMMIT')
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') {
      let owner = ''
      try {
        owner = ` (${readFileSync(join(dir, OWNER_FILE), 'utf8').trim()})`
      } catch {
        // no owner note: the message does without it
      }
      throw new StoreUnavailableError(
        `another receiptd process${owner} is using the data folder ${dir}; stop it, or give this one another --data`,
      )
    }
    throw new StoreUnavailableError(databaseProblem(path, e))
  }
  try {
    writeFileSync(
      join(dir, OWNER_FILE),
      `pid ${process.pid} on ${hostname()}, started ${new Date().toISOString()}\n`,
    )
  } catch {
    // The note only improves a message; the lock holds without it.
  }
  return { release: () => db.close() }
}

/** Opens (or creates) the database file; a start-up failure is one clear line. */
export function openDatabase(
  path: string,
  configure: (db: Database.Database) => void,
  open: (path: string) => Database.Database = (p) => new Database(p),
): Database.Database {
  let db: Database.Database | undefined
  try {
    db = open(path)
    configure(db)
    return db
  } catch (e) {
    db?.close()
    if (e instanceof StoreUnavailableError || e instanceof MigrationError) throw e
    throw new StoreUnavailableError(databaseProblem(path, e))
  }
}

/** SQLite's and the filesystem's codes at open time, in words. */
export function databaseProblem(path: string, e: unknown): string {
  const code = (e as { code?: string }).code ?? ''
  const detail = `${code ? code + ': ' : ''}${(e as Error).message}`
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return `${path} is not a usable SQLite database (${detail}); move it away or give another --data`
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `the disk holding ${path} is full (${detail})`
  if (code === 'SQLITE_READONLY' || code === 'EROFS') return `${path} cannot be written (${detail})`
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM') {
    return `cannot open ${path} (${detail}); check that the folder exists and can be written`
  }
  return `cannot open the database ${path} (${detail})`
}
