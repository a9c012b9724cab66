// SPDX-License-Identifier: Apache-2.0
// The compiled parts of Boost.Asio and Boost.Beast, once for the whole transport
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION, set on this library only):
// the other transport files include only declarations and templates, which keeps their
// compile time down on small CI machines.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
