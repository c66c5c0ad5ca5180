import { randomBytes } from 'node:crypto';
import type { FetchAnswer } from './answers.js';
import type { PeerName } from './domains.js';

/** A ticket the peer Hives hold for one scenario: which peer answers a fetch of it, and how. */
export interface IssuedTicket {
  readonly ticket: string;
  readonly scenario: string;
  readonly answers: Readonly<Partial<Record<PeerName, FetchAnswer>>>;
}

/**
 * What the checks told the peer Hives to expect: the tickets they issued, the
 * users they have (recipients of the Hive's relays). Everything else that reaches the peer is unexpected.
 */
export class PeerScript {
  private readonly tickets = new Map<string, IssuedTicket>();
  private readonly recipients = new Map<string, string>();
  /** A fresh random ticket of `length` characters that the named peers answer as scripted; no other peer knows it. */
  issue(scenario: string, answers: Partial<Record<PeerName, FetchAnswer>>, length = 32): string {
    const ticket = randomBytes(Math.ceil((length * 3) / 4)).toString('base64url').slice(0, length);
    this.tickets.set(ticket, { ticket, scenario, answers });
    return ticket;
  }

  ticket(ticket: string): IssuedTicket | undefined {
    return this.tickets.get(ticket);
  }

  /** A peer user that relays from the Hive may be addressed to (user::peer-domain). */
  addRecipient(scenario: string, address: string): void {
    this.recipients.set(address.toLowerCase(), scenario);
  }

  /** The scenario awaiting messages for one of these addresses, if any. */
  scenarioOfRecipients(addresses: readonly string[]): string | undefined {
    for (const address of addresses) {
      const scenario = this.recipients.get(address.toLowerCase());
      if (scenario !== undefined) return scenario;
    }
    return undefined;
  }
}
