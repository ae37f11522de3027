import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindOf } from './classes.js';
import { statusOfColor } from './colors.js';
import { jobTreeQuery } from './tree-query.js';

describe('jobTreeQuery', () => {
  it('nests one jobs[...] selection per level and never uses depth', () => {
    assert.equal(jobTreeQuery(1), 'jobs[_class,name,url,color]');
    assert.equal(jobTreeQuery(3), 'jobs[_class,name,url,color,jobs[_class,name,url,color,jobs[_class,name,url,color]]]');
    assert.equal((jobTreeQuery(10).match(/jobs\[/g) ?? []).length, 10);
  });
  it('adds lastBuild fields when asked', () => {
    assert.equal(jobTreeQuery(1, { lastBuild: true }), 'jobs[_class,name,url,color,lastBuild[number,result,duration,timestamp]]');
  });
  it('refuses a depth below 1', () => {
    assert.throws(() => jobTreeQuery(0), RangeError);
    assert.throws(() => jobTreeQuery(1.5), RangeError);
  });
});

describe('statusOfColor', () => {
  it('maps Jenkins ball colors', () => {
    const cases: [string | undefined, string][] = [
      ['blue', 'success'],
      ['red', 'failure'],
      ['yellow', 'unstable'],
      ['aborted', 'aborted'],
      ['notbuilt', 'not_built'],
      ['disabled', 'disabled'],
      ['grey', 'pending'],
      ['blue_anime', 'building'],
      ['red_anime', 'building'],
      ['notbuilt_anime', 'building'],
      ['purple', 'unknown'],
      [undefined, 'unknown'],
    ];
    for (const [color, status] of cases) assert.equal(statusOfColor(color), status, String(color));
  });
});

describe('kindOf', () => {
  it('tells containers from jobs by class', () => {
    assert.equal(kindOf('com.cloudbees.hudson.plugins.folder.Folder', true), 'folder');
    assert.equal(kindOf('jenkins.branch.OrganizationFolder', true), 'organization-folder');
    assert.equal(kindOf('org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject', true), 'multibranch');
    assert.equal(kindOf('org.jenkinsci.plugins.workflow.job.WorkflowJob', false), 'job');
    assert.equal(kindOf('hudson.model.FreeStyleProject', false), 'job');
    // A folder type from some plugin: it lists jobs, so it is a folder.
    assert.equal(kindOf('com.example.CustomFolder', true), 'folder');
    assert.equal(kindOf('com.example.SomethingMultiBranchProject', true), 'multibranch');
  });
});
