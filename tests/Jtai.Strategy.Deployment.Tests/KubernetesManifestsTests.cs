using System.Reflection;
using System.Text.Json.Nodes;

namespace Jtai.Strategy.Deployment.Tests;

/// <summary>
/// deploy/k8s, offline: each overlay renders with <c>kubectl kustomize</c>, and every object it renders is valid by the
/// Kubernetes API schemas (npm kubernetes-models) and the operators' CRD schemas vendored in deploy/k8s/validate/crds
/// (ajv, unknown fields refused); the validator refuses broken objects. What the issue asks of the manifests is read
/// from the rendered objects: replicas, probes, non-root pods, a migrate Job per service with a database, the network
/// policies, the clusters' sizes, the secrets as files. The secret inputs in the repository stay placeholders, and the
/// provision step's copies of the deploy/ scripts stay identical to them.
/// </summary>
public sealed class KubernetesManifestsTests
{
    private static readonly string Root = typeof(KubernetesManifestsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    private static readonly string K8s = Path.Combine(Root, "deploy", "k8s");
    private static readonly string Validator = Path.Combine(K8s, "validate");

    /// <summary>The rendered files of this run (under the build's output folder, so nothing is left in /tmp).</summary>
    private static readonly string RunFolder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "rendered")).FullName;

    private static readonly string[] Services = ["spoc-directory", "meetings", "notifications", "metrics", "action-plan", "web"];

    [Theory]
    [InlineData("trial")]
    [InlineData("production")]
    public async Task Every_object_of_the_overlay_is_valid_by_the_api_and_crd_schemas(string overlay)
    {
        var rendered = await RenderAsync(overlay);
        var (exitCode, report) = await ValidateAsync(rendered);

        var errors = report["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.True(exitCode == 0 && errors.Count == 0, $"{overlay}:\n" + string.Join("\n", errors));
        var checkedObjects = report["checked"]!.AsArray().Select(c => (string)c!).ToList();
        var objects = await ObjectsAsync(rendered);
        Assert.Equal(objects.Count, checkedObjects.Count);
        Assert.Contains("RabbitmqCluster/jtai-rabbitmq", checkedObjects);
        Assert.Contains("Cluster/jtai-postgres", checkedObjects);
        foreach (var service in Services)
        {
            foreach (var kind in new[] { "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler" })
            {
                Assert.Contains($"{kind}/{service}", checkedObjects);
            }
        }
    }

    [Fact]
    public async Task The_validator_refuses_broken_objects()
    {
        var rendered = await File.ReadAllTextAsync(await RenderAsync("production"));
        string[] broken =
        [
            // A RabbitmqCluster with a string for its replicas (the CRD's schema: an integer).
            rendered.Replace("kind: RabbitmqCluster", "kind: RabbitmqCluster\nx-broken: true", StringComparison.Ordinal)
                .Replace("\n  replicas: 3\n", "\n  replicas: three\n", StringComparison.Ordinal),
            // A CloudNativePG Cluster with a field its schema does not declare, and a synchronous method it does not know.
            rendered.Replace("\n  instances: 3\n", "\n  instances: 3\n  instanceCount: 3\n", StringComparison.Ordinal)
                .Replace("method: any", "method: most", StringComparison.Ordinal),
            // Deployments whose replicas are a string (the API's schema: an integer).
            rendered.Replace("\n  replicas: 2\n", "\n  replicas: two\n", StringComparison.Ordinal),
            // An object of a kind neither schema set knows.
            rendered + "---\napiVersion: example.com/v1\nkind: Unknown\nmetadata:\n  name: stray\n",
        ];
        string[][] expected =
        [
            ["RabbitmqCluster/jtai-rabbitmq: /spec/replicas must be integer", "RabbitmqCluster/jtai-rabbitmq: / must NOT have additional properties (x-broken)"],
            ["Cluster/jtai-postgres: /spec must NOT have additional properties (instanceCount)", "Cluster/jtai-postgres: /spec/postgresql/synchronous/method must be equal to one of the allowed values"],
            ["/spec/replicas must be integer"],
            ["Unknown/stray: no schema for example.com/v1 Unknown"],
        ];

        for (var i = 0; i < broken.Length; i++)
        {
            var file = Path.Combine(RunFolder, $"broken-{Guid.NewGuid():N}.yaml");
            await File.WriteAllTextAsync(file, broken[i]);
            try
            {
                var (exitCode, report) = await ValidateAsync(file);
                var errors = report["errors"]!.AsArray().Select(e => (string)e!).ToList();
                Assert.Equal(1, exitCode);
                foreach (var error in expected[i])
                {
                    Assert.True(errors.Any(e => e.Contains(error, StringComparison.Ordinal)), $"case {i}: expected \"{error}\" among:\n" + string.Join("\n", errors));
                }
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    [Theory]
    [InlineData("trial", 1, 1, 1)]
    [InlineData("production", 2, 3, 3)]
    public async Task The_overlay_runs_every_service_as_the_issue_asks(string overlay, int replicas, int brokerNodes, int databaseInstances)
    {
        var objects = await ObjectsAsync(await RenderAsync(overlay));
        JsonNode One(string kind, string name) => objects.Single(o => (string)o["kind"]! == kind && (string)o["metadata"]!["name"]! == name);
        IEnumerable<JsonNode> All(string kind) => objects.Where(o => (string)o["kind"]! == kind);

        // Every object is in the system's namespace and belongs to one of the four steps the README applies in order.
        foreach (var o in objects.Where(o => (string)o["kind"]! != "Namespace"))
        {
            Assert.Equal("jtai-strategy", (string?)o["metadata"]!["namespace"]);
        }

        Assert.All(objects, o => Assert.Contains((string?)o["metadata"]!["labels"]?["jtai-strategy/step"], new[] { "platform", "provision", "migrate", "rollout" }));

        foreach (var service in Services)
        {
            var deployment = One("Deployment", service);
            Assert.Equal("rollout", (string)deployment["metadata"]!["labels"]!["jtai-strategy/step"]!);
            Assert.Equal(replicas, (int)deployment["spec"]!["replicas"]!);
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!, service);
            Assert.False((bool)pod["automountServiceAccountToken"]!, service);
            var container = pod["containers"]!.AsArray().Single()!;
            Assert.Matches($"^(registry\\.partnership\\.example/)?jtai-strategy/{service}:(trial|1\\.0\\.0)$", (string)container["image"]!);
            Assert.Equal("/health/live", (string)container["livenessProbe"]!["httpGet"]!["path"]!);
            Assert.Equal("/health/ready", (string)container["readinessProbe"]!["httpGet"]!["path"]!);
            Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!, service);
            Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!, service);
            Assert.NotNull(container["resources"]!["requests"]!["memory"]);
            Assert.NotNull(container["resources"]!["limits"]!["memory"]);

            var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);
            Assert.Equal("Production", (string)env["ASPNETCORE_ENVIRONMENT"]!["value"]!);
            Assert.Equal("http://otel-collector:4317", (string)env["OTEL_EXPORTER_OTLP_ENDPOINT"]!["value"]!);
            Assert.Equal(service, (string)env["OTEL_SERVICE_NAME"]!["value"]!);
            Assert.True(env.ContainsKey(service == "web" ? "Web__Oidc__Authority" : "Auth__Authority"), service);

            // Its secrets as files under /run/secrets (ServiceSecrets' key-per-file), never the schema owner's connection.
            var secretsMount = container["volumeMounts"]!.AsArray().Single(m => (string)m!["mountPath"]! == "/run/secrets")!;
            var secretVolume = pod["volumes"]!.AsArray().Single(v => (string)v!["name"]! == (string)secretsMount["name"]!)!["secret"]!;
            Assert.StartsWith($"jtai-{service}-", (string)secretVolume["secretName"]!, StringComparison.Ordinal);
            var keys = secretVolume["items"]!.AsArray().Select(i => (string)i!["key"]!).ToList();
            Assert.Contains("ConnectionStrings__RabbitMq", keys);
            Assert.DoesNotContain("ConnectionStrings__PostgresMigrations", keys);
            Assert.Equal(service != "web", keys.Contains("ConnectionStrings__Postgres"));
            Assert.Equal(service == "meetings", keys.Contains("Meetings__ResponseLinkKey"));
            Assert.Equal(service == "web", keys.Contains("Web__Oidc__ClientSecret"));

            Assert.Equal(replicas, (int)One("HorizontalPodAutoscaler", service)["spec"]!["minReplicas"]!);
            Assert.Equal(1, (int)One("PodDisruptionBudget", service)["spec"]!["maxUnavailable"]!);
            Assert.Equal(8080, (int)One("Service", service)["spec"]!["ports"]![0]!["port"]!);

            // The deployment step before the rollout: every service with a database has its migrate Job.
            if (service != "web")
            {
                var job = One("Job", service + "-migrate");
                Assert.Equal("migrate", (string)job["metadata"]!["labels"]!["jtai-strategy/step"]!);
                var step = job["spec"]!["template"]!["spec"]!["containers"]![0]!;
                Assert.Equal((string)container["image"]!, (string)step["image"]!);
                Assert.Equal(new[] { "migrate" }, step["args"]!.AsArray().Select(a => (string)a!));
                var stepSecrets = job["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => v!["secret"] is not null)!["secret"]!;
                Assert.Contains("ConnectionStrings__PostgresMigrations", stepSecrets["items"]!.AsArray().Select(i => (string)i!["key"]!));
            }
        }

        Assert.Equal(brokerNodes, (int)One("RabbitmqCluster", "jtai-rabbitmq")["spec"]!["replicas"]!);
        var database = One("Cluster", "jtai-postgres")["spec"]!;
        Assert.Equal(databaseInstances, (int)database["instances"]!);
        if (databaseInstances > 1)
        {
            Assert.Equal("required", (string)database["postgresql"]!["synchronous"]!["dataDurability"]!);
            Assert.Equal(1, (int)database["postgresql"]!["synchronous"]!["number"]!);
        }

        // Default deny; only the web service takes ingress from anywhere; only notifications reaches an SMTP port.
        var policies = All("NetworkPolicy").ToList();
        var deny = policies.Single(p => (string)p["metadata"]!["name"]! == "default-deny")["spec"]!;
        Assert.Empty(deny["podSelector"]!.AsObject());
        Assert.Equal(new[] { "Ingress", "Egress" }, deny["policyTypes"]!.AsArray().Select(t => (string)t!));
        var openIngress = policies.Where(p => p["spec"]!["ingress"]?.AsArray().Any(rule => rule!["from"] is null) == true)
            .Select(p => (string?)p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"]).ToList();
        Assert.Equal(new string?[] { "web" }, openIngress);
        var smtp = policies.Where(p => p["spec"]!["egress"]?.AsArray().Any(rule => rule!["ports"]?.AsArray().Any(port => (int)port!["port"]! is 25 or 587) == true) == true)
            .Select(p => (string?)p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"]).ToList();
        Assert.Equal(new string?[] { "notifications" }, smtp);

        var collector = One("Deployment", "otel-collector");
        Assert.NotNull(collector);
        Assert.Single(objects, o => (string)o["kind"]! == "ConfigMap" && ((string)o["metadata"]!["name"]!).StartsWith("otel-collector-config-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_secret_inputs_in_the_repository_are_placeholders()
    {
        var files = Directory.GetFiles(Path.Combine(K8s, "base", "platform", "secrets"), "*.env");
        Assert.Equal(Services.Length + 1, files.Length);
        foreach (var file in files)
        {
            foreach (var line in File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                var (key, value) = (line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                if (key == "username")
                {
                    continue;
                }

                Assert.True(value.Contains("REPLACE-ME", StringComparison.Ordinal), $"{Path.GetFileName(file)}: {key} is not marked REPLACE-ME: a real secret must never be committed");
            }
        }
    }

    [Theory]
    [InlineData("postgres/service-roles.sh", "service-roles.sh")]
    [InlineData("rabbitmq/provision-users.sh", "provision-users.sh")]
    [InlineData("rabbitmq/permissions.tsv", "permissions.tsv")]
    public void The_provision_steps_copies_are_the_deploy_scripts(string original, string copy)
    {
        // kustomize reads no file outside the kustomization's folder: the provision step carries copies.
        Assert.True(
            File.ReadAllText(Path.Combine(Root, "deploy", original)) == File.ReadAllText(Path.Combine(K8s, "base", "provision", copy)),
            $"deploy/k8s/base/provision/{copy} differs from deploy/{original}: copy it again (cp deploy/{original} deploy/k8s/base/provision/)");
    }

    /// <summary>Renders the overlay with <c>kubectl kustomize</c> to a file in this run's temporary folder.</summary>
    private static async Task<string> RenderAsync(string overlay)
    {
        var version = await ProcessRunner.RunAsync("kubectl", ["version", "--client"]);
        Assert.True(version.ExitCode == 0, "kubectl is missing: scripts/test.sh installs it (apt).");
        Assert.True(version.StandardOutput.Contains("Kustomize Version: v5", StringComparison.Ordinal), $"kubectl's kustomize must be v5 (the manifests use its labels and patches):\n{version.StandardOutput}");
        var result = await ProcessRunner.RunAsync("kubectl", ["kustomize", Path.Combine(K8s, "overlays", overlay)], timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {overlay} failed:\n{result.StandardError}");
        var file = Path.Combine(RunFolder, $"{overlay}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, result.StandardOutput);
        return file;
    }

    private static async Task<(int ExitCode, JsonNode Report)> ValidateAsync(string renderedFile)
    {
        await NodePackages.EnsureInstalledAsync(Validator, "kubernetes-models");
        var result = await ProcessRunner.RunAsync("node", ["validate.mjs", renderedFile], Validator, timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.StandardOutput.Length > 0, $"the validator printed nothing (exit {result.ExitCode}):\n{result.StandardError}");
        return (result.ExitCode, JsonNode.Parse(result.StandardOutput)!);
    }

    private static async Task<List<JsonNode>> ObjectsAsync(string renderedFile)
    {
        await NodePackages.EnsureInstalledAsync(Validator, "kubernetes-models");
        var result = await ProcessRunner.RunAsync("node", ["to-json.mjs", renderedFile], Validator, timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!.AsArray().Select(o => o!).ToList();
    }
}
