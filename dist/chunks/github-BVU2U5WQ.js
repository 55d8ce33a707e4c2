import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-65RTIDSD.js";import"./chunk-X7JZOT7X.js";import"./chunk-VHHJSVT5.js";import"./chunk-BQDGCH2W.js";import"./chunk-X6NBCMD2.js";import"./chunk-2FSN3YVT.js";import"./chunk-DMQP6HQG.js";import"./chunk-XZTWMH4G.js";import"./chunk-3IJ7ERXY.js";export{d as gitHubPublication,c as gitHubSinks,f as publishToGitHub,b as releaseFiles,a as releaseTag,e as requireGitHubRepository};
