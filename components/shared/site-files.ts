import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { contentType } from "mime-types";

/** Fingerprinted assets never change under their name: cache them for a year. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** Everything else is revalidated on every request (cheap with ETags), so a publish shows at once without invalidations. */
export const REVALIDATE = "no-cache";
/** The generated file carrying `publicConfig`. */
export const CONFIG_KEY = "site-config.json";

/** One object to upload. */
export interface SiteFile {
    /** The S3 key, with forward slashes. */
    readonly key: string;
    readonly source: pulumi.asset.Asset;
    /** MD5 of the content: a change re-uploads the object. */
    readonly hash: string;
    readonly contentType: string;
    readonly cacheControl: string;
}

/** `app.3f9c2b1d.js`, `main-3f9c2b1d4e.css`: a hex hash of 8+ characters just before the extension. */
export function isFingerprinted(key: string): boolean {
    return /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i.test(path.posix.basename(key));
}

function md5(content: Buffer | string): string {
    return createHash("md5").update(content).digest("hex");
}

function walk(dir: string, prefix = ""): string[] {
    return fs
        .readdirSync(path.join(dir, prefix), { withFileTypes: true })
        .filter((e) => !e.name.startsWith("."))
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((e) => (e.isDirectory() ? walk(dir, path.posix.join(prefix, e.name)) : [path.posix.join(prefix, e.name)]));
}

/**
 * The files of `dir` (dotfiles skipped) plus `site-config.json` from `publicConfig`, with content
 * types from the MIME database and cache-control by name. Throws if `dir` lacks index.html or 404.html (403.html is optional: the page for refused requests).
 */
export function siteFiles(dir: string, publicConfig: Readonly<Record<string, string>>): SiteFile[] {
    const root = path.resolve(dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`StaticSite: site folder ${root} does not exist`);
    const keys = walk(root);
    for (const required of ["index.html", "404.html"]) {
        if (!keys.includes(required)) throw new Error(`StaticSite: ${path.join(root, required)} is missing; the distribution serves it`);
    }
    if (keys.includes(CONFIG_KEY)) throw new Error(`StaticSite: ${CONFIG_KEY} is generated from publicConfig; remove it from ${root}`);
    const files: SiteFile[] = keys.map((key) => {
        const file = path.join(root, key);
        return {
            key,
            source: new pulumi.asset.FileAsset(file),
            hash: md5(fs.readFileSync(file)),
            contentType: contentType(path.extname(key)) || "application/octet-stream",
            cacheControl: isFingerprinted(key) ? IMMUTABLE : REVALIDATE,
        };
    });
    const config = `${JSON.stringify(publicConfig, null, 2)}\n`;
    files.push({ key: CONFIG_KEY, source: new pulumi.asset.StringAsset(config), hash: md5(config), contentType: "application/json; charset=utf-8", cacheControl: REVALIDATE });
    return files;
}
