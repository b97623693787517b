import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { MembershipDirectory, PersonalDataRegistry } from './personal-data.js';

@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new Clock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: Clock, useValue: clock }, PersonalDataRegistry, MembershipDirectory],
      exports: [Clock, PersonalDataRegistry, MembershipDirectory],
    };
  }
}
