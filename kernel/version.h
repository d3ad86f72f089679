#pragma once

#define RINGLET_VERSION "0.2.0"
