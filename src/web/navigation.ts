import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';

/** A menu item a feature adds for some people: its link and where its text is (`t.<namespace>.<key>`). */
export interface NavigationItem {
  href: string;
  namespace: string;
  key: string;
}

/**
 * Menu items that depend on who is signed in beyond the global role (provider staff see
 * "Anordnare"): a feature's module registers a source; the WebGuard asks them once per page.
 */
@Injectable()
export class NavigationExtras {
  private readonly sources: Array<(user: AuthUser) => Promise<NavigationItem[]>> = [];

  register(source: (user: AuthUser) => Promise<NavigationItem[]>): void {
    this.sources.push(source);
  }

  async of(user: AuthUser): Promise<NavigationItem[]> {
    if (!this.sources.length) return [];
    return (await Promise.all(this.sources.map((source) => source(user)))).flat();
  }
}
