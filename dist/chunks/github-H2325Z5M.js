import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-QJQHXPRI.js";import"./chunk-OXZHL6TR.js";import"./chunk-VHHJSVT5.js";import"./chunk-LNI5KZRH.js";import"./chunk-NESP6EJZ.js";import"./chunk-2FSN3YVT.js";import"./chunk-DMQP6HQG.js";import"./chunk-TR6PKQFZ.js";import"./chunk-3IJ7ERXY.js";export{d as gitHubPublication,c as gitHubSinks,f as publishToGitHub,b as releaseFiles,a as releaseTag,e as requireGitHubRepository};
