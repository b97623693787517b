import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface AttendanceRecorded {
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  recordedByUserId: string;
  /** The organisation each booking was made through: follow-up results are grouped by it. */
  records: Array<{ bookingId: string; userId: string; organisationId: string | null; attended: boolean; hours: number | null }>;
}

export type AttendanceListener = (manager: EntityManager, event: AttendanceRecorded) => Promise<void>;

/**
 * How bookings tell other modules (follow-up) that attendance was recorded, inside the same
 * transaction as the records. Listeners register in onModuleInit.
 */
@Injectable()
export class AttendanceEvents {
  private readonly listeners: AttendanceListener[] = [];

  onRecorded(listener: AttendanceListener): void {
    this.listeners.push(listener);
  }

  async emit(manager: EntityManager, event: AttendanceRecorded): Promise<void> {
    for (const listener of this.listeners) await listener(manager, event);
  }
}
