/**
 * Fixture manifests: multi-document YAML with `{{ name }}` placeholders. Pure: a
 * placeholder without a value is an error naming it, never an empty string.
 */
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';

export type TemplateValues = Readonly<Record<string, string | number>>;

const placeholder = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(placeholder)].map((m) => m[1] ?? ''))];
}

export function renderTemplate(text: string, values: TemplateValues, origin = 'manifest'): string {
  const missing = placeholdersIn(text).filter((name) => !(name in values));
  if (missing.length > 0) throw new ManifestError(`${origin}: no value for placeholder(s) ${missing.join(', ')}`);
  return text.replace(placeholder, (_match, name: string) => String(values[name]));
}

export function parseManifests(text: string, origin = 'manifest'): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new ManifestError(`${origin}: invalid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new ManifestError(`${origin}: a document is not a mapping`);
    const object = value as KubernetesObject;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
      throw new ManifestError(`${origin}: every document needs apiVersion, kind and metadata.name`);
    }
    objects.push(object);
  }
  return objects;
}
