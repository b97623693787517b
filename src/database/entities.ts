import { LoginFailure } from '../auth/login-failure.entity.js';
import { MagicLinkToken } from '../auth/magic-link-token.entity.js';
import { User } from '../auth/user.entity.js';
import { OutboxMessage } from '../mail/outbox-message.entity.js';
import { AccessibilityFeature, Format, Municipality, Theme } from '../reference/reference.entities.js';

/** Every entity, listed explicitly (globs over __dirname break under ESM). */
export const ENTITIES = [Municipality, Theme, Format, AccessibilityFeature, User, MagicLinkToken, LoginFailure, OutboxMessage];
