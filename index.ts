// webstack: composition only. Load the validated stack config, build the components, export what users need.
import { Vpc } from "./components/vpc";
import { loadStackConfig } from "./stacks";

const config = loadStackConfig();

const network = new Vpc("network", { ...config.network, tags: config.tags, protect: config.protectData });

export const region = config.region;
export const environment = config.environment;
export const vpcId = network.vpcId;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const natPublicIps = network.natPublicIps;
export const securityGroupIds = network.securityGroupIds;
