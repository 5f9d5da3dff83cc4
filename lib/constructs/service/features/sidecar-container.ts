import { ServiceFeature, ServiceTask } from '../service-feature';
import { SidecarProps, TaskSidecar } from '../sidecars/task-sidecar';

/** Adds one sidecar (see `sidecars/`) to a task. */
export type AddSidecar = (props: SidecarProps, task: ServiceTask) => TaskSidecar;

/**
 * A sidecar as a service feature: the container, its permissions and the
 * environment the app needs to reach it, all from one `add*` function.
 */
export class SidecarContainer implements ServiceFeature {
  constructor(private readonly add: AddSidecar) {}

  addContainers(task: ServiceTask): readonly TaskSidecar[] {
    const props: SidecarProps = {
      taskDefinition: task.taskDefinition,
      logGroup: task.sidecarLogs,
      user: task.sidecarUser,
    };
    return [this.add(props, task)];
  }
}
