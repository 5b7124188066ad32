/*
 * file.c - input files for the log-reading commands (file.h).
 */
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_open_input(const char *path, int *fd, bool *owned)
{
    *owned = false;
    if (strcmp(path, "-") == 0) {
        *fd = STDIN_FILENO;
    } else {
        *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (*fd < 0)
            return -errno;
        *owned = true;
    }
    struct stat sb;
    int rc = fstat(*fd, &sb) < 0 ? -errno : S_ISDIR(sb.st_mode) ? -EISDIR : 0;
    if (rc < 0 && *owned) {
        close(*fd);
        *owned = false;
        *fd = -1;
    }
    return rc;
}
