import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{c as a,d as b,e as c,f as d,g as e,h as f}from"./chunk-NB2QTLWV.js";import"./chunk-34Y4YISU.js";import"./chunk-QHYFOAXU.js";import"./chunk-AHHF2PHZ.js";import"./chunk-2FSN3YVT.js";import"./chunk-VHHJSVT5.js";import"./chunk-EAI5BVFA.js";import"./chunk-3IJ7ERXY.js";export{d as gitHubPublication,c as gitHubSinks,f as publishToGitHub,b as releaseFiles,a as releaseTag,e as requireGitHubRepository};
