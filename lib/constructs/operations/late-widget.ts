import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A full-width dashboard row whose widgets are built when the dashboard is
 * rendered, after every alarm of the stage has been registered (the
 * `AlarmRegistration` aspect runs at synth, after the stacks are built).
 * `build` runs each time the layout is measured or rendered, so it must
 * depend only on what it reads.
 */
export class LateWidget implements cloudwatch.IWidget {
  readonly width = cloudwatch.GRID_WIDTH;
  private x = 0;
  private y = 0;

  constructor(private readonly build: () => readonly cloudwatch.IWidget[]) {}

  get height(): number {
    return this.layout().height;
  }

  position(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }

  toJson(): unknown[] {
    const layout = this.layout();
    layout.position(this.x, this.y);
    return layout.toJson();
  }

  private layout(): cloudwatch.Column {
    return new cloudwatch.Column(...this.build());
  }
}

/**
 * An alarm status widget over alarms known by name: the same widget as
 * `cloudwatch.AlarmStatusWidget`, without a construct per alarm (the
 * alarms live in other stacks; their literal names need no reference).
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html#CloudWatch-Dashboard-Properties-Alarm-Widget-Object
 */
export class AlarmStatusByArn extends cloudwatch.ConcreteWidget {
  constructor(
    private readonly title: string,
    private readonly alarmArns: readonly string[],
    height: number,
  ) {
    super(cloudwatch.GRID_WIDTH, height);
  }

  toJson(): unknown[] {
    return [
      {
        type: 'alarm',
        width: this.width,
        height: this.height,
        x: this.x,
        y: this.y,
        properties: {
          title: this.title,
          alarms: this.alarmArns,
          sortBy: 'stateUpdatedTimestamp',
        },
      },
    ];
  }
}
