import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type SessionEvent =
  /** The provider cancelled the whole session: every booking must be cancelled and people told. */
  | 'cancelled'
  /** Capacity was raised: freed seats go to the head of the waitlist. */
  | 'capacityRaised';

export type SessionListener = (manager: EntityManager, sessionId: string) => Promise<void>;

/**
 * How the catalogue tells other modules (bookings) about changes to a session, inside the same
 * transaction as the change, so that nothing is half done. Listeners register in onModuleInit.
 */
@Injectable()
export class SessionEvents {
  private readonly listeners = new Map<SessionEvent, SessionListener[]>();

  on(event: SessionEvent, listener: SessionListener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  async emit(manager: EntityManager, event: SessionEvent, sessionId: string): Promise<void> {
    for (const listener of this.listeners.get(event) ?? []) await listener(manager, sessionId);
  }
}
