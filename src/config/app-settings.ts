/**
 * The app sections of the config: each app of the file, and the development app's values given
 * by flags or variables. Each failure names the key it came from.
 */
import { checkUserId } from '../domain/accounts/user-id.js'
import {
  parseGroupType,
  RECEIPT_CAPABLE_TYPES,
  type ReceiptCapableType,
} from '../domain/groups/group-types.js'
import {
  defaultGroupReceiptTypes,
  defaultLimits,
  MAX_ADMINS,
  MAX_GROUP_RECEIPT_MEMBERS,
  type AppConfig,
  type Config,
} from './config.js'
import { parseCallback } from './callback.js'
import { checkKeys, ConfigError, int, isObj, str } from './checks.js'
import type { ConfigFlags } from './load.js'

export function userId(v: unknown, at: string): string {
  const s = str(v, at)
  const check = checkUserId(s)
  if (!check.ok) throw new ConfigError(`${at}: the UserID ${JSON.stringify(s)} ${check.reason}`)
  return s
}

/** A list of group types, as REST (`Private`) or SDK (`Work`) names; only receipt-capable ones. */
function groupReceiptTypes(v: unknown, at: string): ReceiptCapableType[] {
  const allowed = `${RECEIPT_CAPABLE_TYPES.join(', ')} (or Work, Meeting)`
  if (!Array.isArray(v)) throw new ConfigError(`${at}: expected a list of group types from ${allowed}`)
  const out = new Set<ReceiptCapableType>()
  v.forEach((name, i) => {
    const type = typeof name === 'string' ? parseGroupType(name) : undefined
    if (type === undefined || !(RECEIPT_CAPABLE_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError(
        `${at}[${i}]: ${JSON.stringify(name)} cannot have read receipts; expected one of ${allowed}`,
      )
    }
    out.add(type as ReceiptCapableType)
  })
  return [...out]
}

export function parseApp(raw: unknown, at: string): AppConfig {
  if (!isObj(raw)) throw new ConfigError(`${at}: expected an object with sdkAppId and secretKey`)
  checkKeys(raw, at, [
    'sdkAppId',
    'secretKey',
    'admins',
    'callback',
    'limits',
    'groupReceiptTypes',
    'testSupport',
    'legacyMuteFieldNames',
  ])
  const admins = raw.admins === undefined ? ['administrator'] : raw.admins
  if (!Array.isArray(admins) || admins.length === 0 || admins.length > MAX_ADMINS) {
    throw new ConfigError(`${at}.admins: expected a list of 1 to ${MAX_ADMINS} UserIDs`)
  }
  const callback =
    raw.callback === undefined || raw.callback === null
      ? undefined
      : parseCallback(raw.callback, `${at}.callback`)
  const limits = { ...defaultLimits }
  if (raw.limits !== undefined) {
    if (!isObj(raw.limits)) throw new ConfigError(`${at}.limits: expected an object`)
    checkKeys(raw.limits, `${at}.limits`, [
      'ratePerSecond',
      'groupReceiptMaxMembers',
      'maxAccounts',
      'groupMsgPerSecond',
      'groupFreqCtrlMode',
    ])
    if (raw.limits.ratePerSecond !== undefined) {
      limits.ratePerSecond = int(raw.limits.ratePerSecond, `${at}.limits.ratePerSecond`, 0, 1_000_000)
    }
    if (raw.limits.groupReceiptMaxMembers !== undefined) {
      limits.groupReceiptMaxMembers = int(
        raw.limits.groupReceiptMaxMembers,
        `${at}.limits.groupReceiptMaxMembers`,
        1,
        MAX_GROUP_RECEIPT_MEMBERS,
      )
    }
    if (raw.limits.maxAccounts !== undefined) {
      limits.maxAccounts = int(raw.limits.maxAccounts, `${at}.limits.maxAccounts`, 0, Number.MAX_SAFE_INTEGER)
    }
    if (raw.limits.groupMsgPerSecond !== undefined) {
      limits.groupMsgPerSecond = int(
        raw.limits.groupMsgPerSecond,
        `${at}.limits.groupMsgPerSecond`,
        0,
        1_000_000,
      )
    }
    if (raw.limits.groupFreqCtrlMode !== undefined) {
      const mode = raw.limits.groupFreqCtrlMode
      if (mode !== 'drop' && mode !== 'error') {
        throw new ConfigError(`${at}.limits.groupFreqCtrlMode: expected drop or error`)
      }
      limits.groupFreqCtrlMode = mode
    }
  }
  return {
    sdkAppId: int(raw.sdkAppId, `${at}.sdkAppId`, 1, 0xffffffff),
    secretKey: str(raw.secretKey, `${at}.secretKey`),
    admins: admins.map((a, i) => userId(a, `${at}.admins[${i}]`)),
    callback,
    limits,
    groupReceiptTypes:
      raw.groupReceiptTypes === undefined
        ? [...defaultGroupReceiptTypes]
        : groupReceiptTypes(raw.groupReceiptTypes, `${at}.groupReceiptTypes`),
    testSupport: boolSetting(raw.testSupport, `${at}.testSupport`),
    legacyMuteFieldNames: boolSetting(raw.legacyMuteFieldNames, `${at}.legacyMuteFieldNames`),
  }
}

/** An optional true/false setting, false when absent. */
function boolSetting(v: unknown, at: string): boolean {
  if (v === undefined) return false
  if (typeof v !== 'boolean') throw new ConfigError(`${at}: expected true or false`)
  return v
}

/** `--sdkappid`, `--secret-key`, `--admin` and their variables: the development app's values. */
export function devAppSettings(
  flags: ConfigFlags,
  e: Record<string, [string, string]>,
  apps: readonly AppConfig[],
  configFile: string | undefined,
): Config['devApp'] {
  const given = (flag: unknown, name: string, key: string): [unknown, string] | undefined =>
    flag !== undefined ? [flag, name] : e[key]
  const id = given(flags.sdkappid, '--sdkappid', 'devApp.sdkAppId')
  const key = given(flags.secretKey, '--secret-key', 'devApp.secretKey')
  const admins =
    flags.admin !== undefined && flags.admin.length > 0
      ? ([flags.admin, '--admin'] as [unknown, string])
      : e['devApp.admins'] && ([e['devApp.admins'][0].split(','), e['devApp.admins'][1]] as [unknown, string])
  const named = [id, key, admins].filter((v) => v !== undefined).map((v) => v![1])
  if (named.length > 0 && apps.length > 0) {
    throw new ConfigError(
      `${named.join(', ')} define the development app, but ${configFile} lists apps: give the app there instead`,
    )
  }
  let adminList: string[] | undefined
  if (admins !== undefined) {
    const list = admins[0] as unknown[]
    if (list.length === 0 || list.length > MAX_ADMINS) {
      throw new ConfigError(`${admins[1]}: expected 1 to ${MAX_ADMINS} UserIDs`)
    }
    adminList = list.map((a) => userId(typeof a === 'string' ? a.trim() : a, admins[1]))
  }
  return {
    sdkAppId: id === undefined ? undefined : int(id[0], id[1], 1, 0xffffffff),
    secretKey: key === undefined ? undefined : str(key[0], key[1]),
    admins: adminList,
  }
}
