import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { expect } from 'vitest';
import { parseCsv } from './rfc4180.js';

export function viewFiles(outputDir: string, ext: string): string[] {
  const dir = path.join(outputDir, 'view');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every href and image source, as a CommonMark reader sees them. */
export function markdownLinks(markdown: string): string[] {
  const out: string[] = [];
  const walk = (tokens: Token[]): void => {
    for (const t of tokens) {
      const target = t.attrGet('href') ?? t.attrGet('src');
      if (target) out.push(target);
      if (t.children) walk(t.children);
    }
  };
  walk(new MarkdownIt().parse(markdown, {}));
  return out;
}

/** Attachment and image cells hold relative paths, `; `-separated. */
export function csvLinks(csv: string): string[] {
  return parseCsv(csv.replace(/^\uFEFF/, ''))
    .flat()
    .flatMap((cell) => cell.split('; '))
    .filter((cell) => cell.startsWith('../'));
}

/**
 * The link check: every local link of every Markdown file (index.md included) and every path in
 * every CSV of the view opens a file that exists. Returns the links checked.
 */
export function checkViewLinks(outputDir: string): string[] {
  const checked: string[] = [];
  for (const file of viewFiles(outputDir, '.md')) {
    for (const href of markdownLinks(readFileSync(file, 'utf8'))) {
      if (/^[a-z]+:/i.test(href)) continue; // web links in the documents' text
      const target = path.resolve(path.dirname(file), decodeURIComponent(href));
      expect(existsSync(target), `${href} in ${file}`).toBe(true);
      checked.push(href);
    }
  }
  for (const file of viewFiles(outputDir, '.csv')) {
    for (const link of csvLinks(readFileSync(file, 'utf8'))) {
      expect(existsSync(path.resolve(path.dirname(file), link)), `${link} in ${file}`).toBe(true);
      checked.push(link);
    }
  }
  return checked;
}
