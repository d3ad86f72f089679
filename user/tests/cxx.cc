/*
 * The C++ runtime in libsys: a global object constructed before main (through .init_array) and
 * destroyed after it (through __cxa_atexit), new and delete, and virtual calls.
 * Prints, in order: "cxx: constructor ran", "cxx: ok", "cxx: destructor ran".
 */
#include <stdio.h>

namespace {

class announcer {
public:
    announcer() : value(42)
    {
        printf("cxx: constructor ran\n");
    }

    ~announcer()
    {
        printf("cxx: destructor ran\n");
    }

    int value;
};

announcer global_announcer;

class shape {
public:
    virtual ~shape() = default;
    virtual int area() const = 0;
};

class square : public shape {
public:
    explicit square(int side) : side(side)
    {
    }

    int area() const override
    {
        return side * side;
    }

private:
    int side;
};

class rectangle : public shape {
public:
    rectangle(int width, int height) : width(width), height(height)
    {
    }

    int area() const override
    {
        return width * height;
    }

private:
    int width;
    int height;
};

/* Out of line, so the calls go through the vtable. */
__attribute__((noinline)) int total_area(shape *const *shapes, int count)
{
    int total = 0;
    for (int i = 0; i < count; i++) {
        total += shapes[i]->area();
    }
    return total;
}

} // namespace

int main()
{
    int failures = 0;

    if (global_announcer.value != 42) {
        printf("cxx: FAIL global object not constructed (value %d)\n", global_announcer.value);
        failures++;
    }

    shape *shapes[3] = { new square(3), new rectangle(2, 5), new square(4) };
    int total = total_area(shapes, 3);
    if (total != 9 + 10 + 16) {
        printf("cxx: FAIL virtual calls gave %d, want 35\n", total);
        failures++;
    }
    for (shape *s : shapes) {
        delete s;
    }

    int *numbers = new int[1000];
    for (int i = 0; i < 1000; i++) {
        numbers[i] = i * i;
    }
    long sum = 0;
    for (int i = 0; i < 1000; i++) {
        sum += numbers[i];
    }
    delete[] numbers;
    if (sum != 332833500L) {
        printf("cxx: FAIL new[] array sum %ld\n", sum);
        failures++;
    }

    if (failures == 0) {
        printf("cxx: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
