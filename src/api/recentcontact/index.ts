/** The commands of `v4/recentcontact`: the conversation list (spec part 2 §17). */
import { deleteConversation } from './delete.js'
import { get_list } from './get_list.js'

export const recentContactCommands = [get_list, deleteConversation]
