// libbpf_open: the libbpf side of swift-xdp's parse benchmark (see README.md, parse.sh).
//
// For each file on the command line: read it once into memory, then time iterations of
//   object mode (default): bpf_object__open_mem() + bpf_object__close()
//                          (libbpf's "open" phase: ELF, BTF, .BTF.ext, maps, programs,
//                          relocation collection; no kernel objects are created)
//   --btf:                 btf__new() + btf__free() on a raw BTF blob (e.g. vmlinux)
// and print one line per file in the same format as the Swift parse-bench:
//   result tool=libbpf mode=object status=ok file=F size=B iterations=N median_ns=M mean_ns=A min_ns=L programs=P
//   result tool=libbpf mode=object status=error file=F size=B message=TEXT
// Timing rule (same as parse-bench): one untimed warm-up, then single iterations timed with
// CLOCK_MONOTONIC, either --iterations N of them or until --min-time seconds (default 0.5)
// and at least 5; the median and minimum are printed.
//
// Build: cc -O2 -o libbpf_open libbpf_open.c -lbpf -lelf -lz
#define _GNU_SOURCE
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct options {
	int btf_mode;
	long iterations;    /* 0: calibrate on min_seconds */
	double min_seconds;
};

struct measurement {
	long iterations;
	uint64_t median_ns;
	uint64_t mean_ns;
	uint64_t min_ns;
	long check;         /* programs or types, from the last iteration */
};

/* The last warning/info line libbpf printed during the untimed warm-up: the refusal reason. */
static char last_message[512];

static int capture_print(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(last_message, sizeof(last_message), format, args);
	last_message[strcspn(last_message, "\n")] = '\0';
	return 0;
}

static uint64_t monotonic_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Reads a whole file (sysfs included, whose stat size may not be trusted). */
static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	unsigned char *bytes = NULL;
	size_t used = 0, capacity = 0;

	if (!file)
		return NULL;
	for (;;) {
		size_t count;

		if (capacity - used < 65536) {
			unsigned char *grown;

			capacity = capacity ? capacity * 2 : 1 << 20;
			grown = realloc(bytes, capacity);
			if (!grown)
				goto fail;
			bytes = grown;
		}
		count = fread(bytes + used, 1, capacity - used, file);
		if (count == 0)
			break;
		used += count;
	}
	if (ferror(file))
		goto fail;
	fclose(file);
	*size = used;
	return bytes;
fail:
	free(bytes);
	fclose(file);
	return NULL;
}

/* The object's name as libbpf would take it from a path: base name without ".o". */
static void object_name(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	char *dot;

	snprintf(name, size, "%s", base ? base + 1 : path);
	dot = strstr(name, ".o");
	if (dot && dot[2] == '\0')
		*dot = '\0';
}

/* One iteration. Returns the program or type count, or -errno. */
static long run_once(const struct options *options, const unsigned char *bytes, size_t size,
		     const char *name)
{
	long count = 0;

	if (options->btf_mode) {
		struct btf *btf = btf__new(bytes, (__u32)size);

		if (!btf)
			return -errno;
		count = (long)btf__type_cnt(btf) - 1;
		btf__free(btf);
	} else {
		LIBBPF_OPTS(bpf_object_open_opts, open_options, .object_name = name);
		struct bpf_object *object = bpf_object__open_mem(bytes, size, &open_options);
		struct bpf_program *program;

		if (!object)
			return -errno;
		bpf_object__for_each_program(program, object)
			count++;
		bpf_object__close(object);
	}
	return count;
}

static int measure(const struct options *options, const unsigned char *bytes, size_t size,
		   const char *name, struct measurement *result)
{
	uint64_t budget = (uint64_t)(options->min_seconds * 1e9), total = 0;
	size_t capacity = options->iterations ? (size_t)options->iterations : 1024, count = 0;
	uint64_t *samples;
	long check;

	/* Warm-up, untimed, with libbpf's messages captured to explain a refusal. */
	last_message[0] = '\0';
	libbpf_set_print(capture_print);
	check = run_once(options, bytes, size, name);
	libbpf_set_print(NULL);
	if (check < 0)
		return (int)check;

	samples = malloc(capacity * sizeof(*samples));
	if (!samples)
		return -ENOMEM;
	for (;;) {
		uint64_t start, elapsed;

		if (options->iterations) {
			if ((long)count >= options->iterations)
				break;
		} else if (total >= budget && count >= 5) {
			break;
		}
		if (count == capacity) {
			uint64_t *grown = realloc(samples, 2 * capacity * sizeof(*samples));

			if (!grown) {
				free(samples);
				return -ENOMEM;
			}
			samples = grown;
			capacity *= 2;
		}
		start = monotonic_ns();
		check = run_once(options, bytes, size, name);
		elapsed = monotonic_ns() - start;
		if (check < 0) {
			free(samples);
			return (int)check;
		}
		samples[count++] = elapsed;
		total += elapsed;
	}
	qsort(samples, count, sizeof(*samples), compare_u64);
	result->iterations = (long)count;
	result->median_ns = count % 2 ? samples[count / 2]
				      : (samples[count / 2 - 1] + samples[count / 2]) / 2;
	result->mean_ns = total / count;
	result->min_ns = samples[0];
	result->check = check;
	free(samples);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: libbpf_open [--btf] [--iterations N] [--min-time SECONDS] FILE...\n");
}

int main(int argc, char **argv)
{
	struct options options = { .min_seconds = 0.5 };
	int failures = 0, files = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--btf")) {
			options.btf_mode = 1;
		} else if (!strcmp(argv[i], "--iterations") || !strcmp(argv[i], "-n")) {
			if (++i == argc || (options.iterations = strtol(argv[i], NULL, 10)) <= 0) {
				usage();
				return 2;
			}
		} else if (!strcmp(argv[i], "--min-time")) {
			if (++i == argc || (options.min_seconds = strtod(argv[i], NULL)) <= 0) {
				usage();
				return 2;
			}
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") || argv[i][0] == '-') {
			usage();
			return 2;
		}
	}

	for (int i = 1; i < argc; i++) {
		const char *mode = options.btf_mode ? "btf" : "object";
		struct measurement result = { 0 };
		unsigned char *bytes;
		char name[256];
		size_t size = 0;
		int err;

		if (argv[i][0] == '-') {
			if (!strcmp(argv[i], "--iterations") || !strcmp(argv[i], "-n") ||
			    !strcmp(argv[i], "--min-time"))
				i++;
			continue;
		}
		files++;
		bytes = read_file(argv[i], &size);
		if (!bytes) {
			printf("result tool=libbpf mode=%s status=error file=%s size=0 message=cannot read file\n",
			       mode, argv[i]);
			failures++;
			continue;
		}
		object_name(argv[i], name, sizeof(name));
		err = measure(&options, bytes, size, name, &result);
		if (err) {
			char reason[128];

			/* libbpf_strerror also names libbpf's own codes (4000+, e.g. ENDIAN). */
			libbpf_strerror(err, reason, sizeof(reason));
			printf("result tool=libbpf mode=%s status=error file=%s size=%zu message=libbpf refuses: %s%s%s\n",
			       mode, argv[i], size, reason, last_message[0] ? ": " : "", last_message);
			failures++;
		} else {
			printf("result tool=libbpf mode=%s status=ok file=%s size=%zu iterations=%ld median_ns=%llu mean_ns=%llu min_ns=%llu %s=%ld\n",
			       mode, argv[i], size, result.iterations, (unsigned long long)result.median_ns,
			       (unsigned long long)result.mean_ns, (unsigned long long)result.min_ns, options.btf_mode ? "types" : "programs",
			       result.check);
		}
		fflush(stdout);
		free(bytes);
	}
	if (!files) {
		usage();
		return 2;
	}
	return failures ? 1 : 0;
}
