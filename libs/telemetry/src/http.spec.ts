import { routeLabel } from './http';

describe('routeLabel', () => {
  it('uses the matched route pattern', () => {
    expect(routeLabel({ baseUrl: '', route: { path: '/applicants/:id' }, originalUrl: '/applicants/0190-x' }, 200)).toBe('/applicants/:id');
  });

  it('collapses ids in paths served by middleware, keeping four segments', () => {
    expect(routeLabel({ originalUrl: '/api/v1/applicants/01938c5e-7a4b-7c3d-8e9f-0a1b2c3d4e5f?x=1' }, 200)).toBe('/api/v1/applicants/:id');
    expect(routeLabel({ originalUrl: '/api/v1/applicants/42/notes/7' }, 200)).toBe('/api/v1/applicants/:id');
  });

  it('puts every unknown path under one value', () => {
    expect(routeLabel({ originalUrl: '/wp-admin/setup.php' }, 404)).toBe('unmatched');
    expect(routeLabel({ route: { path: '/{*path}' }, originalUrl: '/wp-admin/setup.php' }, 404)).toBe('unmatched');
  });
});
