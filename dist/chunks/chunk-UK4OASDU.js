import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as r}from"./chunk-3IJ7ERXY.js";function o(t){let e=/^https:\/\/[^/]+\/[^/]+\/[^/]+\/\.github\/workflows\/([^@/]+)@(.+)$/.exec(t);if(!e)return t;let[,s="",n=""]=e;return`${s}@${n.replace(/^refs\/(?:tags|heads)\//,"")}`}r(o,"shortSignerName");export{o as a};
