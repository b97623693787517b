import { Module } from '@nestjs/common';
import { AuthRetention } from './auth-retention.js';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailModule } from '../mail/mail.module.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { SignInPages } from './pages/sign-in.page.js';
import { AuthContextBinder, JwtStrategy, LocalStrategy } from './strategies.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, ApiKey]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
    MailModule,
  ],
  controllers: [AuthController, SignInPages],
  providers: [AuthService, UsersService, ApiKeysService, LoginThrottleService, AuthContextBinder, LocalStrategy, JwtStrategy, AuthRetention],
  exports: [UsersService, AuthService, ApiKeysService],
})
export class AuthModule {}
