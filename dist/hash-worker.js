import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{c as e,d as a}from"./chunks/chunk-6PCQFACD.js";import"./chunks/chunk-DALG4BIT.js";import"./chunks/chunk-3IJ7ERXY.js";import{parentPort as i}from"node:worker_threads";var s=i;if(!s)throw new Error("hash-worker must run as a worker thread");s.on("message",r=>{let t;try{let{bytes:o,...h}=e(r.path,r.algorithms);t={id:r.id,digests:h,bytes:o}}catch(o){t={id:r.id,failure:a(o)}}s.postMessage(t)});
