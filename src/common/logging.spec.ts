import { redactUrl } from './logging.js';

describe('redactUrl', () => {
  it('drops query strings and replaces ids and link tokens', () => {
    expect(redactUrl('/magic-link?token=abc')).toBe('/magic-link');
    expect(redactUrl('/api/v1/organisations/6f1c2a59-8d0e-4a53-9d7e-3b1f2a9c4e11/members')).toBe('/api/v1/organisations/:id/members');
    expect(redactUrl('/api/v1/invitations/q3v0bq1m3oGx2kqk1b7m8JtC0ZbYx3e4d5f6g7h8i9A/accept')).toBe('/api/v1/invitations/:token/accept');
    expect(redactUrl('/api/v1/accessibility-features')).toBe('/api/v1/accessibility-features');
  });
});
