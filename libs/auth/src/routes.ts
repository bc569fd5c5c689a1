import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { type Policy, policyOf } from './policy';

export interface RouteEntry {
  method: string;
  path: string;
  controller: string;
  handler: string;
  policy: Policy | undefined;
}

function join(...parts: (string | string[] | undefined)[]): string {
  const flat = parts.flatMap((p) => (Array.isArray(p) ? (p[0] ?? '') : (p ?? '')));
  return ('/' + flat.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')).replace(/\/+/g, '/');
}

/**
 * Every HTTP route Nest registered in `app`, with the policy it declares (or undefined). Walks
 * the same controller metadata the Nest router is built from, so a route cannot hide from it.
 */
export function routeInventory(app: INestApplication): RouteEntry[] {
  const scanner = new MetadataScanner();
  const entries: RouteEntry[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      const proto = controller.prototype as Record<string, (...args: never[]) => unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) ?? RequestMethod.GET];
        entries.push({ method, path: join(base, path), controller: controller.name, handler: name, policy: policyOf(handler, controller) });
      }
    }
  }
  return entries;
}
