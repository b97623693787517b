import { DynamicModule, Global, Module } from '@nestjs/common';
import { HeavyReads } from '../database/read-gate.js';
import { Clock } from './clock.js';
import { MembershipDirectory, PersonalDataRegistry } from './personal-data.js';
import { RetentionRegistry } from './retention.js';

@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new Clock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: Clock, useValue: clock }, PersonalDataRegistry, MembershipDirectory, HeavyReads, RetentionRegistry],
      exports: [Clock, PersonalDataRegistry, MembershipDirectory, HeavyReads, RetentionRegistry],
    };
  }
}
