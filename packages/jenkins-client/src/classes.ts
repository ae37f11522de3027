/** What an item of the job tree is. Only `job` items are jobs; the others contain jobs. */
export type ItemKind = 'job' | 'folder' | 'multibranch' | 'organization-folder';

const CONTAINERS: Readonly<Record<string, ItemKind>> = {
  'com.cloudbees.hudson.plugins.folder.Folder': 'folder',
  'jenkins.branch.OrganizationFolder': 'organization-folder',
  'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject': 'multibranch',
  'jenkins.branch.MultiBranchProject': 'multibranch',
};

/**
 * The kind of an item from its `_class`. Known folder classes are matched by name; any other
 * item that lists `jobs` (a folder type from a plugin) is a folder too; everything else is a job.
 */
export function kindOf(className: string | undefined, hasJobs: boolean): ItemKind {
  const known = className === undefined ? undefined : CONTAINERS[className];
  if (known !== undefined) return known;
  if (className !== undefined && /MultiBranchProject$/.test(className)) return 'multibranch';
  if (className !== undefined && /OrganizationFolder$/.test(className)) return 'organization-folder';
  return hasJobs ? 'folder' : 'job';
}
