import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { tokenRevoked, tokenWithoutAccount } from './auth.errors.js';
import type { AuthUser, TokenSubject } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { toAuthUser, UsersService } from './users.service.js';

/**
 * Passport keeps strategies in one process-wide registry (`passport.use(name, …)`), so with two
 * app instances in one process (as the tests run them) the last one registered would serve both,
 * with the other instance's database and secret. The strategies therefore hold no state of their
 * own: they find the services of the app that received the request on its Fastify instance
 * (`req.server`).
 */
interface AuthContext {
  auth: AuthService;
  users: UsersService;
  /** A KeyObject, built once: given a string, jsonwebtoken first tries (and fails) to parse it as a
   * public key on every request, which cost a tenth of the CPU of a booking request. */
  jwtKey: KeyObject;
}

const AUTH_CONTEXT = Symbol('authContext');

type WithAuthContext = FastifyInstance & { [AUTH_CONTEXT]?: AuthContext };

function authContext(req: FastifyRequest): AuthContext {
  return (req.server as WithAuthContext)[AUTH_CONTEXT]!;
}

@Injectable()
export class AuthContextBinder implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const context: AuthContext = { auth: this.auth, users: this.users, jwtKey: createSecretKey(Buffer.from(this.config.jwtSecret, 'utf8')) };
    (this.adapterHost.httpAdapter.getInstance() as WithAuthContext)[AUTH_CONTEXT] = context;
  }
}

@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor() {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: FastifyRequest, email: string, password: string): Promise<AuthUser> {
    const user = await authContext(req).auth.validateCredentials(
      { email: email.trim().toLowerCase(), password },
      req.ip ?? 'unknown',
    );
    return toAuthUser(user);
  }
}

@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types say string | Buffer; it hands the value to jsonwebtoken, which takes a KeyObject.
      secretOrKeyProvider: (req: FastifyRequest, _raw: string, done: (err: unknown, secret?: Buffer) => void) =>
        done(null, authContext(req).jwtKey as unknown as Buffer),
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /**
   * The account is read on every request, so an erased account's tokens stop working at once: here,
   * or by the handler on @AccountReadByHandler() routes.
   */
  async validate(req: FastifyRequest & { accountReadByHandler?: boolean }, payload: { sub?: string; ver?: number }): Promise<AuthUser | TokenSubject> {
    if (typeof payload.sub !== 'string') throw tokenWithoutAccount();
    // Tokens issued before versions existed carry none: they count as version 0, so the first bump revokes them.
    const version = typeof payload.ver === 'number' ? payload.ver : 0;
    // The handler reads the account itself, in a statement it makes anyway, and compares the version there.
    if (req.accountReadByHandler) return { id: payload.sub, version };
    const user = await authContext(req).users.findActiveById(payload.sub);
    if (!user) throw tokenWithoutAccount();
    if (user.authVersion !== version) throw tokenRevoked();
    return toAuthUser(user);
  }
}
