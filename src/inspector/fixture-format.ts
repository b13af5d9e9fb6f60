/**
 * The fixture format (docs/fixtures.md): one app's accounts, C2C messages and read times, groups
 * with members, messages and reads, as JSON or YAML with the same structure. Field names follow
 * the v4 API's. `GET /api/apps/<id>/export` writes it, so what it loads it can also write back.
 * A document that does not fit answers 60002 naming the first bad field.
 */
import { parse as parseYaml } from 'yaml'
import { checkUserId, type UserId } from '../domain/accounts/user-id.js'
import { checkMsgBody, type MsgElement } from '../domain/c2c/msg-body.js'
import { TencentError } from '../domain/codes.js'
import { checkGroupId, type GroupId } from '../domain/groups/group-id.js'
import { parseGroupType, type GroupType } from '../domain/groups/group-types.js'
import type { Priority } from '../domain/groups/limits.js'

export const FIXTURE_VERSION = 1

/** The reasons a fixture message never counts as unread, by their names in the document. */
export const NOT_COUNTED_NAMES = ['NoUnread', 'ImportedAsRead', 'ConversationDeleted'] as const
export type NotCountedName = (typeof NOT_COUNTED_NAMES)[number]

export interface FixtureDocument {
  version: number
  accounts: { UserID: UserId; Nick?: string; FaceUrl?: string; CreateTime?: number }[]
  c2cMessages: {
    From_Account: UserId
    To_Account: UserId
    MsgTime: number
    MsgSeq: number
    MsgRandom: number
    MsgBody: MsgElement[]
    CloudCustomData?: string
    IsNeedReadReceipt?: 0 | 1
    IsPeerRead?: 0 | 1
    Recalled?: 0 | 1
    /** Kept out of the sender's own history (sendmsg `SyncOtherMachine: 2`). */
    SenderSees?: 0 | 1
    /** 0: the recipient deleted the conversation with its history (recentcontact/delete ClearRamble). */
    RecipientSees?: 0 | 1
    /**
     * Never counted as unread: `NoUnread` (sendmsg), `ImportedAsRead` (importmsg 2), or
     * `ConversationDeleted` (unread when its recipient deleted the conversation).
     */
    NotCounted?: NotCountedName
  }[]
  c2cReadTimes: { Report_Account: UserId; Peer_Account: UserId; MsgReadTime: number }[]
  groups: {
    GroupId: GroupId
    Type: GroupType
    Name: string
    Owner_Account?: UserId
    MaxMemberNum?: number
    CreateTime?: number
    Members: {
      Member_Account: UserId
      Role?: 'Owner' | 'Admin' | 'Member'
      /** How many messages the group had when the member joined (0: from the start). */
      JoinSeq?: number
      JoinTime?: number
      /** Seq ranges the member has read (group_msg_receipt), e.g. [[1, 3], [5, 5]]. */
      ReadSeqs?: [number, number][]
      UnreadMsgNum?: number
    }[]
    /** In MsgSeq order from 1 (a document may leave `MsgSeq` out). */
    Messages: {
      MsgSeq: number
      From_Account: UserId
      MsgTime: number
      Random?: number
      MsgBody: unknown[]
      CloudCustomData?: string
      MsgPriority?: Priority
      NeedReadReceipt?: 0 | 1
      OnlineOnlyFlag?: 0 | 1
      Recalled?: 0 | 1
    }[]
  }[]
}

const bad = (at: string, what: string): never => {
  throw new TencentError(60002, `fixtures: ${at} ${what}`)
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function obj(v: unknown, at: string, keys: readonly string[]): Obj {
  if (!isObj(v)) return bad(at, 'must be an object')
  const unknown = Object.keys(v).find((k) => !keys.includes(k))
  if (unknown !== undefined) bad(`${at}.${unknown}`, `is not a field of this format (${keys.join(', ')})`)
  return v
}

function list(v: unknown, at: string): unknown[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) return bad(at, 'must be a list')
  return v
}

function int(v: unknown, at: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    return bad(at, `must be a whole number from ${min} to ${max}`)
  }
  return v
}

const optInt = (v: unknown, at: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  v === undefined ? undefined : int(v, at, min, max)
const flag = (v: unknown, at: string) => (v === undefined ? undefined : (int(v, at, 0, 1) as 0 | 1))

function str(v: unknown, at: string): string {
  if (typeof v !== 'string') return bad(at, 'must be a string')
  return v
}

const optStr = (v: unknown, at: string) => (v === undefined ? undefined : str(v, at))

function userId(v: unknown, at: string): UserId {
  const c = checkUserId(str(v, at))
  if (!c.ok) return bad(at, c.reason)
  return c.userId
}

/** `Text: "hi"` is short for a one-element text MsgBody. */
function body(m: Obj, at: string): MsgElement[] {
  if (m.Text !== undefined) {
    if (m.MsgBody !== undefined) bad(at, 'has both Text and MsgBody')
    return [{ MsgType: 'TIMTextElem', MsgContent: { Text: str(m.Text, `${at}.Text`) } }] as MsgElement[]
  }
  const c = checkMsgBody(m.MsgBody)
  if (!c.ok) return bad(`${at}.MsgBody`, c.reason)
  return c.body
}

const C2C_KEYS = [
  'From_Account', 'To_Account', 'MsgTime', 'MsgSeq', 'MsgRandom', 'MsgBody', 'Text', 'CloudCustomData',
  'IsNeedReadReceipt', 'IsPeerRead', 'Recalled', 'SenderSees', 'RecipientSees', 'NotCounted', 'MsgKey',
] // prettier-ignore
const MEMBER_KEYS = ['Member_Account', 'Role', 'JoinSeq', 'JoinTime', 'ReadSeqs', 'UnreadMsgNum']
const GROUP_MSG_KEYS = [
  'MsgSeq', 'From_Account', 'MsgTime', 'Random', 'MsgBody', 'Text', 'CloudCustomData', 'MsgPriority',
  'NeedReadReceipt', 'OnlineOnlyFlag', 'Recalled',
] // prettier-ignore

/** Parses JSON or YAML text (JSON is YAML) and checks every field. */
export function parseFixtures(text: string): FixtureDocument {
  let raw: unknown
  try {
    raw = parseYaml(text, { maxAliasCount: 100 })
  } catch (e) {
    return bad('document', `is neither JSON nor YAML: ${(e as Error).message.split('\n')[0]}`)
  }
  const doc = obj(raw ?? {}, 'document', ['version', 'accounts', 'c2cMessages', 'c2cReadTimes', 'groups'])
  if (doc.version !== undefined && doc.version !== FIXTURE_VERSION)
    bad('version', `must be ${FIXTURE_VERSION}`)
  return {
    version: FIXTURE_VERSION,
    accounts: list(doc.accounts, 'accounts').map((v, i) => {
      const at = `accounts[${i}]`
      const a = obj(v, at, ['UserID', 'Nick', 'FaceUrl', 'CreateTime'])
      return {
        UserID: userId(a.UserID, `${at}.UserID`),
        Nick: optStr(a.Nick, `${at}.Nick`),
        FaceUrl: optStr(a.FaceUrl, `${at}.FaceUrl`),
        CreateTime: optInt(a.CreateTime, `${at}.CreateTime`),
      }
    }),
    c2cMessages: list(doc.c2cMessages, 'c2cMessages').map((v, i) => {
      const at = `c2cMessages[${i}]`
      const m = obj(v, at, C2C_KEYS)
      const notCounted = optStr(m.NotCounted, `${at}.NotCounted`)
      if (notCounted !== undefined && !(NOT_COUNTED_NAMES as readonly string[]).includes(notCounted)) {
        bad(`${at}.NotCounted`, `must be ${NOT_COUNTED_NAMES.join(', ')}`)
      }
      return {
        From_Account: userId(m.From_Account, `${at}.From_Account`),
        To_Account: userId(m.To_Account, `${at}.To_Account`),
        MsgTime: int(m.MsgTime, `${at}.MsgTime`, 0, 4_294_967_295),
        MsgSeq: optInt(m.MsgSeq, `${at}.MsgSeq`, 0, 4_294_967_295) ?? i + 1,
        MsgRandom: optInt(m.MsgRandom, `${at}.MsgRandom`, 0, 4_294_967_295) ?? 0,
        MsgBody: body(m, at),
        CloudCustomData: optStr(m.CloudCustomData, `${at}.CloudCustomData`),
        IsNeedReadReceipt: flag(m.IsNeedReadReceipt, `${at}.IsNeedReadReceipt`),
        IsPeerRead: flag(m.IsPeerRead, `${at}.IsPeerRead`),
        Recalled: flag(m.Recalled, `${at}.Recalled`),
        SenderSees: flag(m.SenderSees, `${at}.SenderSees`),
        RecipientSees: flag(m.RecipientSees, `${at}.RecipientSees`),
        NotCounted: notCounted as NotCountedName | undefined,
      }
    }),
    c2cReadTimes: list(doc.c2cReadTimes, 'c2cReadTimes').map((v, i) => {
      const at = `c2cReadTimes[${i}]`
      const r = obj(v, at, ['Report_Account', 'Peer_Account', 'MsgReadTime'])
      return {
        Report_Account: userId(r.Report_Account, `${at}.Report_Account`),
        Peer_Account: userId(r.Peer_Account, `${at}.Peer_Account`),
        MsgReadTime: int(r.MsgReadTime, `${at}.MsgReadTime`, 1, 4_294_967_295),
      }
    }),
    groups: list(doc.groups, 'groups').map((v, i) => parseGroup(v, `groups[${i}]`)),
  }
}

function parseGroup(v: unknown, at: string): FixtureDocument['groups'][number] {
  const g = obj(v, at, [
    'GroupId',
    'Type',
    'Name',
    'Owner_Account',
    'MaxMemberNum',
    'CreateTime',
    'Members',
    'Messages',
  ])
  const groupId =
    checkGroupId(str(g.GroupId, `${at}.GroupId`)) ?? bad(`${at}.GroupId`, 'is not a valid GroupId')
  const type = parseGroupType(str(g.Type, `${at}.Type`)) ?? bad(`${at}.Type`, 'is not a group type')
  const messages = list(g.Messages, `${at}.Messages`).map((x, j) => {
    const mat = `${at}.Messages[${j}]`
    const m = obj(x, mat, GROUP_MSG_KEYS)
    if (m.MsgSeq !== undefined && m.MsgSeq !== j + 1)
      bad(`${mat}.MsgSeq`, `must be ${j + 1}: seqs run from 1 without gaps`)
    const priority = optStr(m.MsgPriority, `${mat}.MsgPriority`)
    if (priority !== undefined && !['High', 'Normal', 'Low', 'Lowest'].includes(priority)) {
      bad(`${mat}.MsgPriority`, 'must be High, Normal, Low or Lowest')
    }
    return {
      MsgSeq: j + 1,
      From_Account: userId(m.From_Account, `${mat}.From_Account`),
      MsgTime: int(m.MsgTime, `${mat}.MsgTime`, 0, 4_294_967_295),
      Random: optInt(m.Random, `${mat}.Random`, 0, 4_294_967_295),
      MsgBody: m.Text !== undefined ? body(m, mat) : list(m.MsgBody, `${mat}.MsgBody`),
      CloudCustomData: optStr(m.CloudCustomData, `${mat}.CloudCustomData`),
      MsgPriority: priority as Priority | undefined,
      NeedReadReceipt: flag(m.NeedReadReceipt, `${mat}.NeedReadReceipt`),
      OnlineOnlyFlag: flag(m.OnlineOnlyFlag, `${mat}.OnlineOnlyFlag`),
      Recalled: flag(m.Recalled, `${mat}.Recalled`),
    }
  })
  const members = list(g.Members, `${at}.Members`).map((x, j) => {
    const mat = `${at}.Members[${j}]`
    const m = obj(x, mat, MEMBER_KEYS)
    const role = optStr(m.Role, `${mat}.Role`)
    if (role !== undefined && !['Owner', 'Admin', 'Member'].includes(role))
      bad(`${mat}.Role`, 'must be Owner, Admin or Member')
    return {
      Member_Account: userId(m.Member_Account, `${mat}.Member_Account`),
      Role: role as 'Owner' | 'Admin' | 'Member' | undefined,
      JoinSeq: optInt(m.JoinSeq, `${mat}.JoinSeq`, 0, messages.length),
      JoinTime: optInt(m.JoinTime, `${mat}.JoinTime`),
      ReadSeqs: list(m.ReadSeqs, `${mat}.ReadSeqs`).map((r, k) => {
        const rat = `${mat}.ReadSeqs[${k}]`
        if (!Array.isArray(r) || r.length !== 2) return bad(rat, 'must be [first, last]')
        const lo = int(r[0], rat, 1, messages.length)
        return [lo, int(r[1], rat, lo, messages.length)] as [number, number]
      }),
      UnreadMsgNum: optInt(m.UnreadMsgNum, `${mat}.UnreadMsgNum`),
    }
  })
  return {
    GroupId: groupId,
    Type: type,
    Name: str(g.Name ?? groupId, `${at}.Name`),
    Owner_Account: g.Owner_Account === undefined ? undefined : userId(g.Owner_Account, `${at}.Owner_Account`),
    MaxMemberNum: optInt(g.MaxMemberNum, `${at}.MaxMemberNum`),
    CreateTime: optInt(g.CreateTime, `${at}.CreateTime`),
    Members: members,
    Messages: messages,
  }
}
