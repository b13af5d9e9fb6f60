/**
 * The commands of `v4/openim`: one-to-one messages and their read state (spec §4, §5), online
 * status and message edits (spec part 2 §18, §19.1).
 */
import { admin_getroammsg } from './admin_getroammsg.js'
import { admin_msgwithdraw } from './admin_msgwithdraw.js'
import { admin_set_msg_read } from './admin_set_msg_read.js'
import { batchsendmsg } from './batchsendmsg.js'
import { c2c_msg_read_receipt } from './c2c_msg_read_receipt.js'
import { get_c2c_unread_msg_num } from './get_c2c_unread_msg_num.js'
import { importmsg } from './importmsg.js'
import { modify_c2c_msg } from './modify_c2c_msg.js'
import { modify_group_msg } from './modify_group_msg.js'
import { query_online_status, querystate } from './query_online_status.js'
import { sendmsg } from './sendmsg.js'

export const openimCommands = [
  sendmsg,
  batchsendmsg,
  importmsg,
  admin_getroammsg,
  admin_msgwithdraw,
  admin_set_msg_read,
  get_c2c_unread_msg_num,
  c2c_msg_read_receipt,
  query_online_status,
  querystate,
  modify_c2c_msg,
  modify_group_msg,
]
