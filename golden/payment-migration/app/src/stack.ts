// The seed's multi-region payment processing migration stack
// (../../../../shared/seed/000_dffc073d291baf3a.txt), with each of the seed's
// thirteen failures behind a switch. Constructs follow the seed's modules:
// networking, security, database, storage, compute, monitoring, dns.
import { Construct } from "constructs";
import { Fn, S3Backend, TerraformLocal, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RdsGlobalCluster } from "@cdktf/provider-aws/lib/rds-global-cluster";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

/// The seed's failures, numbered as in the seed.
export type Failure = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13;
export const ALL_FAILURES: Failure[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];

export interface PaymentStackOptions {
  /// Failures present in this stack; empty for the ideal stack.
  failures: Failure[];
  environmentSuffix: string;
  migrationPhase: string;
  /// Names take the suffix from a Terraform variable (`${var.environment_suffix}`,
  /// no default: CI passes it) instead of the literal environmentSuffix.
  suffixAsVariable?: boolean;
}

/// One region of the stack: "primary" (us-east-1) or "secondary" (us-east-2).
interface Region {
  role: "primary" | "secondary";
  name: string;
  provider: AwsProvider;
  cidr: string;
}

/// The networking of one region; its resources sit directly under the
/// "networking" construct, as in the seed.
class Networking {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly albSg: SecurityGroup;
  readonly ecsSg: SecurityGroup;
  readonly rdsSg?: SecurityGroup;

  constructor(scope: Construct, r: Region, o: Opts) {
    const p = r.role;
    // Failure 1: the VPC name lacks the environment suffix.
    const vpcName = o.has(1) ? `payment-vpc-${o.phase}` : `payment-vpc-${o.phase}-${o.suffix}`;
    this.vpc = new Vpc(scope, `${p}-vpc`, {
      provider: r.provider,
      cidrBlock: r.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: vpcName, Region: p },
    });
    const azs = [`${r.name}a`, `${r.name}b`];
    const octet = r.cidr.split(".")[1];
    azs.forEach((az, i) => {
      this.publicSubnets.push(
        new Subnet(scope, `${p}-public-subnet-${i + 1}`, {
          provider: r.provider,
          vpcId: this.vpc.id,
          cidrBlock: `10.${octet}.${i}.0/24`,
          availabilityZone: az,
          mapPublicIpOnLaunch: true,
          tags: { Name: `payment-public-${p}-${i + 1}-${o.suffix}` },
        }),
      );
      this.privateSubnets.push(
        new Subnet(scope, `${p}-private-subnet-${i + 1}`, {
          provider: r.provider,
          vpcId: this.vpc.id,
          cidrBlock: `10.${octet}.${10 + i}.0/24`,
          availabilityZone: az,
          tags: { Name: `payment-private-${p}-${i + 1}-${o.suffix}` },
        }),
      );
    });
    const igw = new InternetGateway(scope, `${p}-igw`, {
      provider: r.provider,
      vpcId: this.vpc.id,
      tags: { Name: `payment-igw-${p}-${o.suffix}` },
    });
    const publicRt = new RouteTable(scope, `${p}-public-rt`, {
      provider: r.provider,
      vpcId: this.vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: { Name: `payment-public-rt-${p}-${o.suffix}` },
    });
    this.publicSubnets.forEach((s, i) => {
      new RouteTableAssociation(scope, `${p}-public-rta-${i + 1}`, {
        provider: r.provider,
        subnetId: s.id,
        routeTableId: publicRt.id,
      });
    });
    this.albSg = new SecurityGroup(scope, `${p}-alb-sg`, {
      provider: r.provider,
      name: `payment-alb-sg-${p}-${o.suffix}`,
      description: "ALB: HTTP from the internet",
      vpcId: this.vpc.id,
      ingress: [{ fromPort: 80, toPort: 80, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "HTTP" }],
      egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
      tags: { Name: `payment-alb-sg-${p}-${o.suffix}` },
    });
    this.ecsSg = new SecurityGroup(scope, `${p}-ecs-sg`, {
      provider: r.provider,
      name: `payment-ecs-sg-${p}-${o.suffix}`,
      description: "ECS tasks: app port from the ALB only",
      vpcId: this.vpc.id,
      ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", securityGroups: [this.albSg.id], description: "app" }],
      egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
      tags: { Name: `payment-ecs-sg-${p}-${o.suffix}` },
    });
    // Failure 5: no security group for the database.
    if (!o.has(5)) {
      this.rdsSg = new SecurityGroup(scope, `${p}-rds-sg`, {
        provider: r.provider,
        name: `payment-rds-sg-${p}-${o.suffix}`,
        description: "Aurora: PostgreSQL from the ECS tasks only",
        vpcId: this.vpc.id,
        ingress: [{ fromPort: 5432, toPort: 5432, protocol: "tcp", securityGroups: [this.ecsSg.id], description: "PostgreSQL" }],
        egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
        tags: { Name: `payment-rds-sg-${p}-${o.suffix}` },
      });
    }
  }
}

class Security extends Construct {
  readonly keys: Record<string, KmsKey> = {};
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;
  readonly replicationRole: IamRole;

  constructor(scope: Construct, id: string, regions: Region[], o: Opts) {
    super(scope, id);
    for (const r of regions) {
      const key = new KmsKey(this, `${r.role}-kms-key`, {
        provider: r.provider,
        description: `payment data key (${r.role}, ${o.suffix})`,
        enableKeyRotation: true,
        deletionWindowInDays: 10,
        tags: { Name: `payment-kms-${r.role}-${o.suffix}` },
      });
      // Failure 2: the KMS aliases lack the environment suffix.
      new KmsAlias(this, `${r.role}-kms-alias`, {
        provider: r.provider,
        name: o.has(2) ? `alias/payment-${r.role}` : `alias/payment-${r.role}-${o.suffix}`,
        targetKeyId: key.keyId,
      });
      this.keys[r.role] = key;
    }
    const assume = (service: string) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      });
    this.executionRole = new IamRole(this, "ecs-execution-role", {
      name: `payment-ecs-execution-role-${o.suffix}`,
      assumeRolePolicy: assume("ecs-tasks.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "ecs-execution-role-policy", {
      role: this.executionRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    });
    this.taskRole = new IamRole(this, "ecs-task-role", {
      name: `payment-ecs-task-role-${o.suffix}`,
      assumeRolePolicy: assume("ecs-tasks.amazonaws.com"),
    });
    this.replicationRole = new IamRole(this, "s3-replication-role", {
      name: `payment-s3-replication-role-${o.suffix}`,
      assumeRolePolicy: assume("s3.amazonaws.com"),
    });
  }

  /// The policies the seed's fixes 7 and 8 add, once the buckets exist.
  addPolicies(storage: Storage, o: Opts) {
    const keyArns = Object.values(this.keys).map((k) => k.arn);
    // Failure 7: the ECS task role has no policy.
    if (!o.has(7)) {
      const policy = new IamPolicy(this, "ecs-task-policy", {
        name: `payment-ecs-task-policy-${o.suffix}`,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["s3:GetObject", "s3:PutObject"],
              Resource: [...storage.primaryBuckets(), ...storage.secondaryBuckets()].map((b) => `${b.arn}/*`),
            },
            { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArns },
          ],
        }),
      });
      new IamRolePolicyAttachment(this, "ecs-task-policy-attachment", {
        role: this.taskRole.name,
        policyArn: policy.arn,
      });
    }
    // Failure 8: the S3 replication role has no policy.
    if (!o.has(8)) {
      const sources = storage.primaryBuckets();
      const destinations = storage.secondaryBuckets();
      const policy = new IamPolicy(this, "s3-replication-policy", {
        name: `payment-s3-replication-policy-${o.suffix}`,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
              Resource: sources.map((b) => b.arn),
            },
            {
              Effect: "Allow",
              Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
              Resource: sources.map((b) => `${b.arn}/*`),
            },
            {
              Effect: "Allow",
              Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
              Resource: destinations.map((b) => `${b.arn}/*`),
            },
            { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [this.keys.primary.arn] },
            { Effect: "Allow", Action: ["kms:Encrypt"], Resource: [this.keys.secondary.arn] },
          ],
        }),
      });
      new IamRolePolicyAttachment(this, "s3-replication-policy-attachment", {
        role: this.replicationRole.name,
        policyArn: policy.arn,
      });
    }
  }
}

class Database extends Construct {
  readonly clusters: Record<string, RdsCluster> = {};

  constructor(scope: Construct, id: string, regions: Region[], net: Record<string, Networking>, sec: Security, o: Opts) {
    super(scope, id);
    const [primary, secondary] = regions;
    const encrypted = !o.has(4);
    // Failure 4: neither the global cluster nor the regional clusters are encrypted.
    const global = new RdsGlobalCluster(this, "global-cluster", {
      provider: primary.provider,
      globalClusterIdentifier: `payment-global-${o.suffix}`,
      engine: "aurora-postgresql",
      engineVersion: "15.4",
      databaseName: "payments",
      ...(encrypted ? { storageEncrypted: true } : {}),
    });
    // Failure 3: the master password is a literal.
    let password: string;
    if (o.has(3)) {
      password = "ChangeMe12345!";
    } else {
      const generated = new DataAwsSecretsmanagerRandomPassword(this, "master-password", {
        provider: primary.provider,
        passwordLength: 32,
        excludePunctuation: true,
      });
      const secret = new SecretsmanagerSecret(this, "master-password-secret", {
        provider: primary.provider,
        name: `payment-db-master-password-${o.suffix}`,
        kmsKeyId: sec.keys.primary.arn,
        recoveryWindowInDays: 7,
      });
      const version = new SecretsmanagerSecretVersion(this, "master-password-version", {
        provider: primary.provider,
        secretId: secret.id,
        secretString: generated.randomPassword,
        lifecycle: { ignoreChanges: ["secret_string"] },
      });
      password = version.secretString;
    }
    for (const r of [primary, secondary]) {
      const subnetGroup = new DbSubnetGroup(this, `${r.role}-subnet-group`, {
        provider: r.provider,
        name: `payment-db-subnets-${r.role}-${o.suffix}`,
        subnetIds: net[r.role].privateSubnets.map((s) => s.id),
        tags: { Name: `payment-db-subnets-${r.role}-${o.suffix}` },
      });
      const sg = net[r.role].rdsSg;
      const cluster = new RdsCluster(this, `${r.role}-cluster`, {
        provider: r.provider,
        clusterIdentifier: `payment-${r.role}-cluster-${o.suffix}`,
        engine: "aurora-postgresql",
        engineVersion: "15.4",
        globalClusterIdentifier: global.id,
        dbSubnetGroupName: subnetGroup.name,
        ...(sg ? { vpcSecurityGroupIds: [sg.id] } : {}),
        ...(r.role === "primary"
          ? { masterUsername: "payment_admin", masterPassword: password, databaseName: "payments" }
          : {}),
        ...(encrypted ? { storageEncrypted: true, kmsKeyId: sec.keys[r.role].arn } : {}),
        backupRetentionPeriod: 7,
        skipFinalSnapshot: true,
        ...(r.role === "secondary" ? { dependsOn: [this.clusters.primary] } : {}),
        tags: { Name: `payment-${r.role}-cluster-${o.suffix}` },
      });
      new RdsClusterInstance(this, `${r.role}-instance-1`, {
        provider: r.provider,
        identifier: `payment-${r.role}-instance-1-${o.suffix}`,
        clusterIdentifier: cluster.id,
        instanceClass: "db.r6g.large",
        engine: "aurora-postgresql",
        engineVersion: "15.4",
      });
      this.clusters[r.role] = cluster;
    }
  }
}

class Storage extends Construct {
  readonly buckets: Record<string, Record<string, S3Bucket>> = { primary: {}, secondary: {} };
  readonly versioning: Record<string, Record<string, S3BucketVersioningA>> = { primary: {}, secondary: {} };
  readonly replications: { source: S3Bucket; destination: S3Bucket; ruleId: string; config: S3BucketReplicationConfigurationA }[] = [];

  constructor(scope: Construct, id: string, regions: Region[], sec: Security, o: Opts) {
    super(scope, id);
    for (const r of regions) {
      for (const purpose of ["transaction-logs", "audit-trails"]) {
        const bucket = new S3Bucket(this, `${r.role}-${purpose}`, {
          provider: r.provider,
          bucket: `payment-${purpose}-${r.role}-${o.suffix}`,
          forceDestroy: true,
          tags: { Name: `payment-${purpose}-${r.role}-${o.suffix}` },
        });
        this.versioning[r.role][purpose] = new S3BucketVersioningA(this, `${r.role}-${purpose}-versioning`, {
          provider: r.provider,
          bucket: bucket.id,
          versioningConfiguration: { status: "Enabled" },
        });
        new S3BucketServerSideEncryptionConfigurationA(this, `${r.role}-${purpose}-encryption`, {
          provider: r.provider,
          bucket: bucket.id,
          rule: [
            {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: sec.keys[r.role].arn },
              bucketKeyEnabled: true,
            },
          ],
        });
        new S3BucketPublicAccessBlock(this, `${r.role}-${purpose}-public-access-block`, {
          provider: r.provider,
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
        this.buckets[r.role][purpose] = bucket;
      }
    }
    // Failure 6: no cross-region replication.
    if (!o.has(6)) {
      const primary = regions[0];
      for (const purpose of ["transaction-logs", "audit-trails"]) {
        const ruleId = `replicate-${purpose}`;
        const config = new S3BucketReplicationConfigurationA(this, `${purpose}-replication`, {
          provider: primary.provider,
          bucket: this.buckets.primary[purpose].id,
          role: sec.replicationRole.arn,
          rule: [
            {
              id: ruleId,
              status: "Enabled",
              priority: 1,
              filter: { prefix: "" },
              deleteMarkerReplication: { status: "Enabled" },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
              destination: {
                bucket: this.buckets.secondary[purpose].arn,
                storageClass: "STANDARD",
                encryptionConfiguration: { replicaKmsKeyId: sec.keys.secondary.arn },
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
              },
            },
          ],
          dependsOn: [this.versioning.primary[purpose], this.versioning.secondary[purpose]],
        });
        this.replications.push({
          source: this.buckets.primary[purpose],
          destination: this.buckets.secondary[purpose],
          ruleId,
          config,
        });
      }
    }
  }

  primaryBuckets(): S3Bucket[] {
    return Object.values(this.buckets.primary);
  }
  secondaryBuckets(): S3Bucket[] {
    return Object.values(this.buckets.secondary);
  }
}

/// The compute layer of one region: ECS cluster, ALB, blue/green target groups,
/// listener, task definition, service, and (for CODE_DEPLOY) CodeDeploy wiring.
class RegionalCompute extends Construct {
  readonly cluster: EcsCluster;
  readonly alb: Lb;
  readonly blue: LbTargetGroup;
  readonly listener: LbListener;
  readonly service: EcsService;

  constructor(
    scope: Construct,
    id: string,
    r: Region,
    net: Networking,
    sec: Security,
    storage: Storage,
    o: Opts,
    codeDeployRole?: IamRole,
  ) {
    super(scope, id);
    const p = r.role;
    this.cluster = new EcsCluster(this, "cluster", {
      provider: r.provider,
      name: `payment-cluster-${p}-${o.suffix}`,
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
    this.alb = new Lb(this, "alb", {
      provider: r.provider,
      name: `payment-alb-${p}-${o.suffix}`,
      loadBalancerType: "application",
      internal: false,
      securityGroups: [net.albSg.id],
      subnets: net.publicSubnets.map((s) => s.id),
    });
    const tg = (color: string) =>
      new LbTargetGroup(this, `tg-${color}`, {
        provider: r.provider,
        name: `payment-tg-${color}-${p}-${o.suffix}`,
        port: 8080,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: net.vpc.id,
        healthCheck: { path: "/health", protocol: "HTTP", matcher: "200", interval: 30, healthyThreshold: 2, unhealthyThreshold: 3 },
      });
    this.blue = tg("blue");
    const green = tg("green");
    this.listener = new LbListener(this, "listener", {
      provider: r.provider,
      loadBalancerArn: this.alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "forward", targetGroupArn: this.blue.arn }],
    });
    const logs = new CloudwatchLogGroup(this, "log-group", {
      provider: r.provider,
      name: `/ecs/payment-app-${p}-${o.suffix}`,
      retentionInDays: 30,
      kmsKeyId: sec.keys[p].arn,
    });
    const task = new EcsTaskDefinition(this, "task", {
      provider: r.provider,
      family: `payment-app-${p}-${o.suffix}`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "512",
      memory: "1024",
      executionRoleArn: sec.executionRole.arn,
      taskRoleArn: sec.taskRole.arn,
      containerDefinitions: Fn.jsonencode([
        {
          name: "payment-app",
          image: "public.ecr.aws/nginx/nginx:stable",
          essential: true,
          portMappings: [{ containerPort: 8080, protocol: "tcp" }],
          // The application writes transaction logs and audit trails to its region's buckets.
          environment: [
            { name: "TRANSACTION_LOGS_BUCKET", value: storage.buckets[p]["transaction-logs"].bucket },
            { name: "AUDIT_TRAILS_BUCKET", value: storage.buckets[p]["audit-trails"].bucket },
          ],
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logs.name, "awslogs-region": r.name, "awslogs-stream-prefix": "app" },
          },
        },
      ]),
    });
    // Failure 9: blue/green target groups, but the ECS deployment controller.
    const codeDeploy = !o.has(9);
    this.service = new EcsService(this, "service", {
      provider: r.provider,
      name: `payment-service-${p}-${o.suffix}`,
      cluster: this.cluster.id,
      taskDefinition: task.arn,
      desiredCount: 2,
      launchType: "FARGATE",
      deploymentController: { type: codeDeploy ? "CODE_DEPLOY" : "ECS" },
      networkConfiguration: { subnets: net.privateSubnets.map((s) => s.id), securityGroups: [net.ecsSg.id], assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: this.blue.arn, containerName: "payment-app", containerPort: 8080 }],
      dependsOn: [this.listener],
      ...(codeDeploy ? { lifecycle: { ignoreChanges: ["task_definition", "load_balancer"] } } : {}),
    });
    if (codeDeploy && codeDeployRole) {
      const app = new CodedeployApp(this, "codedeploy-app", {
        provider: r.provider,
        name: `payment-app-${p}-${o.suffix}`,
        computePlatform: "ECS",
      });
      new CodedeployDeploymentGroup(this, "codedeploy-group", {
        provider: r.provider,
        appName: app.name,
        deploymentGroupName: `payment-dg-${p}-${o.suffix}`,
        serviceRoleArn: codeDeployRole.arn,
        deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
        blueGreenDeploymentConfig: {
          deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
          terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 5 },
        },
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
        ecsService: { clusterName: this.cluster.name, serviceName: this.service.name },
        loadBalancerInfo: {
          targetGroupPairInfo: {
            prodTrafficRoute: { listenerArns: [this.listener.arn] },
            targetGroup: [{ name: this.blue.name }, { name: green.name }],
          },
        },
      });
    }
  }
}

class Compute extends Construct {
  readonly regions: Record<string, RegionalCompute> = {};

  constructor(
    scope: Construct,
    id: string,
    regions: Region[],
    net: Record<string, Networking>,
    sec: Security,
    storage: Storage,
    o: Opts,
  ) {
    super(scope, id);
    let codeDeployRole: IamRole | undefined;
    if (!o.has(9)) {
      codeDeployRole = new IamRole(this, "codedeploy-role", {
        name: `payment-codedeploy-role-${o.suffix}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      });
      new IamRolePolicyAttachment(this, "codedeploy-role-policy", {
        role: codeDeployRole.name,
        policyArn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS",
      });
    }
    for (const r of regions) {
      // Failure 10: the secondary region has no compute layer at all.
      if (r.role === "secondary" && o.has(10)) continue;
      this.regions[r.role] = new RegionalCompute(this, r.role, r, net[r.role], sec, storage, o, codeDeployRole);
    }
  }
}

class Monitoring extends Construct {
  constructor(scope: Construct, id: string, regions: Region[], db: Database, storage: Storage, compute: Compute, o: Opts) {
    super(scope, id);
    const topics: Record<string, SnsTopic> = {};
    for (const r of regions) {
      topics[r.role] = new SnsTopic(this, `${r.role}-alerts`, {
        provider: r.provider,
        name: `payment-alerts-${r.role}-${o.suffix}`,
      });
    }
    const alarm = (idName: string, r: Region, props: Omit<ConstructorParameters<typeof CloudwatchMetricAlarm>[2], "provider" | "alarmActions">) =>
      new CloudwatchMetricAlarm(this, idName, { provider: r.provider, alarmActions: [topics[r.role].arn], ...props });
    for (const r of regions) {
      const c = compute.regions[r.role];
      if (!c) continue;
      alarm(`${r.role}-alb-5xx`, r, {
        alarmName: `payment-alb-5xx-${r.role}-${o.suffix}`,
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_ELB_5XX_Count",
        dimensions: { LoadBalancer: c.alb.arnSuffix },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 5,
        threshold: 10,
        comparisonOperator: "GreaterThanThreshold",
      });
      alarm(`${r.role}-ecs-cpu`, r, {
        alarmName: `payment-ecs-cpu-${r.role}-${o.suffix}`,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: { ClusterName: c.cluster.name, ServiceName: c.service.name },
        statistic: "Average",
        period: 300,
        evaluationPeriods: 2,
        threshold: 80,
        comparisonOperator: "GreaterThanThreshold",
      });
      // Failure 11 (in part): no ECS memory alarm.
      if (!o.has(11)) {
        alarm(`${r.role}-ecs-memory`, r, {
          alarmName: `payment-ecs-memory-${r.role}-${o.suffix}`,
          namespace: "AWS/ECS",
          metricName: "MemoryUtilization",
          dimensions: { ClusterName: c.cluster.name, ServiceName: c.service.name },
          statistic: "Average",
          period: 300,
          evaluationPeriods: 2,
          threshold: 80,
          comparisonOperator: "GreaterThanThreshold",
        });
      }
    }
    alarm("primary-db-cpu", regions[0], {
      alarmName: `payment-db-cpu-primary-${o.suffix}`,
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions: { DBClusterIdentifier: db.clusters.primary.clusterIdentifier },
      statistic: "Average",
      period: 300,
      evaluationPeriods: 2,
      threshold: 80,
      comparisonOperator: "GreaterThanThreshold",
    });
    if (!o.has(11)) {
      // Failure 11: no replication lag alarm on the global secondary...
      alarm("secondary-db-replication-lag", regions[1], {
        alarmName: `payment-db-replication-lag-${o.suffix}`,
        namespace: "AWS/RDS",
        metricName: "AuroraGlobalDBReplicationLag",
        dimensions: { DBClusterIdentifier: db.clusters.secondary.clusterIdentifier },
        statistic: "Average",
        period: 60,
        evaluationPeriods: 3,
        threshold: 1000,
        comparisonOperator: "GreaterThanThreshold",
      });
      // ... and none on S3 replication latency.
      for (const rep of storage.replications) {
        alarm(`${rep.ruleId}-latency`, regions[0], {
          alarmName: `payment-${rep.ruleId}-latency-${o.suffix}`,
          namespace: "AWS/S3",
          metricName: "ReplicationLatency",
          dimensions: { SourceBucket: rep.source.bucket, DestinationBucket: rep.destination.bucket, RuleId: rep.ruleId },
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 1,
          threshold: 900,
          comparisonOperator: "GreaterThanThreshold",
        });
      }
    }
  }
}

class Dns extends Construct {
  constructor(scope: Construct, id: string, regions: Region[], compute: Compute, o: Opts) {
    super(scope, id);
    const zone = new Route53Zone(this, "zone", { name: `payments-${o.suffix}.example.com` });
    // Failure 13: a literal weight; the fix reads it from the migration phase.
    let weight: (role: string) => number;
    if (o.has(13)) {
      weight = (role) => (role === "primary" ? 100 : 0);
    } else {
      const phase = new TerraformVariable(this, "migration_phase", {
        type: "string",
        default: o.phase,
        description: "migration phase: legacy, migration or production",
        validation: [
          {
            condition: `\${contains(["legacy", "migration", "production"], var.migration_phase)}`,
            errorMessage: "migration_phase must be legacy, migration or production",
          },
        ],
      });
      phase.overrideLogicalId("migration_phase");
      const weights = new TerraformLocal(this, "traffic_weights", {
        legacy: { primary: 100, secondary: 0 },
        migration: { primary: 50, secondary: 50 },
        production: { primary: 0, secondary: 100 },
      });
      weights.overrideLogicalId("traffic_weights");
      weight = (role) => Fn.lookup(Fn.lookup(weights.expression, phase.stringValue), role) as unknown as number;
    }
    for (const r of regions) {
      const c = compute.regions[r.role];
      // Failure 12: only the primary region has a health check and a record.
      if (!c || (r.role === "secondary" && o.has(12))) continue;
      const check = new Route53HealthCheck(this, `${r.role}-health-check`, {
        fqdn: c.alb.dnsName,
        port: 80,
        type: "HTTP",
        resourcePath: "/health",
        failureThreshold: 3,
        requestInterval: 30,
        tags: { Name: `payment-health-${r.role}-${o.suffix}` },
      });
      new Route53Record(this, `${r.role}-record`, {
        zoneId: zone.zoneId,
        name: `api.payments-${o.suffix}.example.com`,
        type: "A",
        setIdentifier: r.role,
        healthCheckId: check.id,
        weightedRoutingPolicy: { weight: weight(r.role) },
        alias: { name: c.alb.dnsName, zoneId: c.alb.zoneId, evaluateTargetHealth: true },
      });
    }
  }
}

/// What every construct reads: the switches and the naming inputs.
class Opts {
  constructor(private readonly options: PaymentStackOptions) {}
  has(f: Failure): boolean {
    return this.options.failures.includes(f);
  }
  get suffix(): string {
    return this.options.environmentSuffix;
  }
  get phase(): string {
    return this.options.migrationPhase;
  }
}

export class PaymentMigrationStack extends TerraformStack {
  constructor(scope: Construct, id: string, options: PaymentStackOptions) {
    super(scope, id);
    let names = options;
    if (options.suffixAsVariable) {
      const suffix = new TerraformVariable(this, "environment_suffix", {
        type: "string",
        description: "environment suffix that every resource name carries",
      });
      names = { ...options, environmentSuffix: suffix.stringValue };
    }
    const o = new Opts(names);
    new S3Backend(this, {
      // A backend cannot read variables: its bucket keeps the literal suffix.
      bucket: `payment-terraform-state-${options.environmentSuffix}`,
      key: `${id}/terraform.tfstate`,
      region: "us-east-1",
      encrypt: true,
    });
    const primaryProvider = new AwsProvider(this, "aws", {
      region: "us-east-1",
      defaultTags: [{ tags: { Project: "payment-migration", Environment: o.suffix } }],
    });
    const secondaryProvider = new AwsProvider(this, "aws-secondary", {
      region: "us-east-2",
      alias: "secondary",
      defaultTags: [{ tags: { Project: "payment-migration", Environment: o.suffix } }],
    });
    const regions: Region[] = [
      { role: "primary", name: "us-east-1", provider: primaryProvider, cidr: "10.0.0.0/16" },
      { role: "secondary", name: "us-east-2", provider: secondaryProvider, cidr: "10.1.0.0/16" },
    ];
    const networking = new Construct(this, "networking");
    const net: Record<string, Networking> = {};
    for (const r of regions) net[r.role] = new Networking(networking, r, o);
    const security = new Security(this, "security", regions, o);
    const database = new Database(this, "database", regions, net, security, o);
    const storage = new Storage(this, "storage", regions, security, o);
    security.addPolicies(storage, o);
    const compute = new Compute(this, "compute", regions, net, security, storage, o);
    new Monitoring(this, "monitoring", regions, database, storage, compute, o);
    new Dns(this, "dns", regions, compute, o);
  }
}
