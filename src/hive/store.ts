import type { Message } from '../generated/schemas.js';

/** scrypt's cost parameters, kept with each hash so the cost can be raised without locking out earlier users. */
export interface PasswordCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** A registered user: the name and the scrypt hash of the password with its salt and cost, nothing else (F4). */
export interface UserRecord {
  /** The user part of the address, lower-case. */
  readonly name: string;
  readonly salt: Buffer;
  readonly hash: Buffer;
  readonly cost: PasswordCost;
}

export interface SessionRecord {
  /** The full address the session was opened for. */
  readonly user: string;
  /** The client IP that opened it (U2). */
  readonly ip: string;
  /** Clock time of the last request that used it, for the idle expiry. */
  readonly lastUsed: number;
}

export interface Conversation {
  readonly id: string;
  /** Full addresses of sender and recipients, sorted and without repeats (M4). */
  readonly participants: readonly string[];
}

export interface ContactEntry {
  /** Full address, lower-case. */
  readonly contact: string;
  readonly blocked: boolean;
}

/** A message as this Hive keeps it: with the id of its conversation here. */
export type StoredMessage = Message & { readonly conv: string };

/** A countersign ticket this Hive issued: the Message it hands out (without conv) until it expires. */
export interface TicketRecord {
  readonly message: Message;
  readonly expiresAt: number;
}

/**
 * Everything the reference Hive keeps. Calls are synchronous so that each one
 * is atomic with respect to the others (a check and the write that follows it
 * cannot interleave with another request); a persistent store needs a
 * synchronous engine (better-sqlite3, node:sqlite) or an in-memory cache.
 */
export interface HiveStore {
  user(name: string): UserRecord | undefined;
  /** False, and nothing stored, when the name is taken. */
  addUser(user: UserRecord): boolean;

  session(key: string): SessionRecord | undefined;
  putSession(key: string, session: SessionRecord): void;
  deleteSession(key: string): void;

  conversation(id: string): Conversation | undefined;
  /** The conversation of exactly this participant set (sorted, without repeats), if there is one. */
  conversationOf(participants: readonly string[]): Conversation | undefined;
  addConversation(conversation: Conversation): void;
  /** Appends a message to its conversation and marks it new for each of `unreadBy`. */
  addMessage(message: StoredMessage, unreadBy: readonly string[]): void;
  /** A conversation's messages in order of arrival, oldest first. */
  messagesIn(conv: string): readonly StoredMessage[];
  /** Takes the user's new messages (in `conv` only, when given), oldest first; they are no longer new afterwards. */
  takeNew(user: string, conv?: string): StoredMessage[];

  /** The user's directory, in the order entries were first added. */
  contacts(user: string): readonly ContactEntry[];
  contact(user: string, contact: string): ContactEntry | undefined;
  /** Adds the entry, or replaces the one for the same address in place. */
  putContact(user: string, entry: ContactEntry): void;
  /** False when the address was not in the directory. */
  removeContact(user: string, contact: string): boolean;

  ticket(ticket: string): TicketRecord | undefined;
  putTicket(ticket: string, record: TicketRecord): void;

  /** Whether a relayed ticket from this domain was already delivered (Q10: at most once). */
  wasRelayed(domain: string, ticket: string): boolean;
  markRelayed(domain: string, ticket: string, at: number): void;

  /** Forgets what can no longer matter at `now`: sessions idle `sessionIdleMs` or more, expired tickets, relay markers older than `relayMarkerMs`. */
  sweep(now: number, limits: { readonly sessionIdleMs: number; readonly relayMarkerMs: number }): void;
}

/** The default store: plain maps, gone when the process ends. */
export class MemoryStore implements HiveStore {
  private readonly users = new Map<string, UserRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly conversationsByParticipants = new Map<string, Conversation>();
  private readonly messages = new Map<string, StoredMessage[]>();
  /** Per user, their new messages by msg id; a Map keeps arrival order. */
  private readonly unread = new Map<string, Map<string, StoredMessage>>();
  private readonly directories = new Map<string, Map<string, ContactEntry>>();
  private readonly tickets = new Map<string, TicketRecord>();
  /** "domain ticket" → when it was delivered. */
  private readonly relayed = new Map<string, number>();

  user(name: string): UserRecord | undefined {
    return this.users.get(name);
  }

  addUser(user: UserRecord): boolean {
    if (this.users.has(user.name)) return false;
    this.users.set(user.name, user);
    return true;
  }

  session(key: string): SessionRecord | undefined {
    return this.sessions.get(key);
  }

  putSession(key: string, session: SessionRecord): void {
    this.sessions.set(key, session);
  }

  deleteSession(key: string): void {
    this.sessions.delete(key);
  }

  conversation(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  conversationOf(participants: readonly string[]): Conversation | undefined {
    return this.conversationsByParticipants.get(participants.join(' '));
  }

  addConversation(conversation: Conversation): void {
    this.conversations.set(conversation.id, conversation);
    this.conversationsByParticipants.set(conversation.participants.join(' '), conversation);
  }

  addMessage(message: StoredMessage, unreadBy: readonly string[]): void {
    const list = this.messages.get(message.conv) ?? [];
    list.push(message);
    this.messages.set(message.conv, list);
    for (const user of unreadBy) {
      const box = this.unread.get(user) ?? new Map<string, StoredMessage>();
      box.set(message.msg, message);
      this.unread.set(user, box);
    }
  }

  messagesIn(conv: string): readonly StoredMessage[] {
    return this.messages.get(conv) ?? [];
  }

  takeNew(user: string, conv?: string): StoredMessage[] {
    const box = this.unread.get(user);
    if (!box) return [];
    const taken = [...box.values()].filter((message) => conv === undefined || message.conv === conv);
    for (const message of taken) box.delete(message.msg);
    return taken;
  }

  contacts(user: string): readonly ContactEntry[] {
    return [...(this.directories.get(user)?.values() ?? [])];
  }

  contact(user: string, contact: string): ContactEntry | undefined {
    return this.directories.get(user)?.get(contact);
  }

  putContact(user: string, entry: ContactEntry): void {
    const directory = this.directories.get(user) ?? new Map<string, ContactEntry>();
    directory.set(entry.contact, entry);
    this.directories.set(user, directory);
  }

  removeContact(user: string, contact: string): boolean {
    return this.directories.get(user)?.delete(contact) ?? false;
  }

  ticket(ticket: string): TicketRecord | undefined {
    return this.tickets.get(ticket);
  }

  putTicket(ticket: string, record: TicketRecord): void {
    this.tickets.set(ticket, record);
  }

  wasRelayed(domain: string, ticket: string): boolean {
    return this.relayed.has(`${domain} ${ticket}`);
  }

  markRelayed(domain: string, ticket: string, at: number): void {
    this.relayed.set(`${domain} ${ticket}`, at);
  }

  sweep(now: number, limits: { readonly sessionIdleMs: number; readonly relayMarkerMs: number }): void {
    for (const [key, session] of this.sessions) if (now - session.lastUsed >= limits.sessionIdleMs) this.sessions.delete(key);
    for (const [ticket, record] of this.tickets) if (record.expiresAt <= now) this.tickets.delete(ticket);
    for (const [marker, at] of this.relayed) if (now - at >= limits.relayMarkerMs) this.relayed.delete(marker);
  }
}
