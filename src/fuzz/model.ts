// A small model of what a Hive keeps for a few users (profile §4, §5): who is
// registered, their sessions, their contacts and blocks, the conversations
// and which messages each user has not retrieved yet. The model says what a
// conformant Hive answers; where the profile leaves a choice open, it says
// "either" and then learns the Hive's choice from the reply.

export interface ModelUser {
  readonly label: string;
  readonly address: string;
  readonly pass: string;
  registered: boolean;
  /** Open session keys; the last is the one in use. */
  readonly open: string[];
  readonly closed: string[];
}

export interface ModelMessage {
  readonly msg: string;
  readonly conv: string;
  readonly from: string;
  /** Recipients, sorted. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly format: string;
}

export interface ModelConversation {
  readonly id: string;
  /** Sender and recipients, sorted, each once (M4). */
  readonly participants: readonly string[];
  /** In order of arrival. */
  readonly messages: ModelMessage[];
}

/** A contact entry's blocked flag; undefined where the profile leaves it open and the Hive has not shown its choice yet. */
export type BlockState = boolean | undefined;

export class HiveModel {
  /** Per user address: contact address → blocked. */
  private readonly directories = new Map<string, Map<string, BlockState>>();
  readonly conversations: ModelConversation[] = [];
  private readonly unread = new Map<string, ModelMessage[]>();
  /** Per "user contact" pair, what the user did about the contact: how a send it affects is explained. */
  private readonly history = new Map<string, string[]>();

  constructor(
    readonly users: readonly ModelUser[],
    /** An address of another Hive: always a valid contact (M3). */
    readonly remote: string,
  ) {}

  labelOf(address: string): string {
    return this.users.find((u) => u.address === address)?.label ?? (address === this.remote ? 'remote' : address);
  }

  /** A valid contact: a registered local user, or an address of another Hive (Q8). */
  isValidContact(address: string): boolean {
    return address === this.remote || this.users.some((u) => u.address === address && u.registered);
  }

  directory(user: string): Map<string, BlockState> {
    let directory = this.directories.get(user);
    if (!directory) this.directories.set(user, (directory = new Map()));
    return directory;
  }

  /** Whether `user` blocks `sender`: not listed is not blocked. */
  blocks(user: string, sender: string): BlockState {
    const directory = this.directory(user);
    return directory.has(sender) ? directory.get(sender) : false;
  }

  record(user: string, contact: string, what: string): void {
    const key = `${user} ${contact}`;
    this.history.set(key, [...(this.history.get(key) ?? []), what]);
  }

  /** What `user` did about `contact`, in words; empty when nothing. */
  story(user: string, contact: string): string {
    const done = this.history.get(`${user} ${contact}`) ?? [];
    return done.length === 0 ? '' : `${this.labelOf(user)} ${done.join(', then ')} ${this.labelOf(contact)}`;
  }

  conversationOf(participants: readonly string[]): ModelConversation | undefined {
    return this.conversations.find((c) => c.participants.join(' ') === participants.join(' '));
  }

  /** Keeps a delivered message; it is new to each recipient (Q6). */
  deliver(message: ModelMessage, conversation: ModelConversation): void {
    conversation.messages.push(message);
    for (const recipient of message.to) this.unread.set(recipient, [...(this.unread.get(recipient) ?? []), message]);
  }

  /** The user's new messages (in `conv` only, when given), newest first. */
  newMessages(user: string, conv?: string): ModelMessage[] {
    return (this.unread.get(user) ?? []).filter((m) => conv === undefined || m.conv === conv).reverse();
  }

  /** Marks messages as retrieved (Q6: only Epost_conv_new retrieves). */
  retrieve(user: string, taken: readonly ModelMessage[]): void {
    this.unread.set(user, (this.unread.get(user) ?? []).filter((m) => !taken.includes(m)));
  }
}
